using System.Diagnostics.Metrics;

namespace Shop.Api.Insights;

/// <summary>
/// Meter "Shop.Api.Business": what the business dashboard charts. Counters for orders placed (and
/// their value) and carts started (the first line in an empty cart: checkout conversion is orders
/// over carts); gauges for pending orders and the last hour's top products, read from the
/// database by <see cref="BusinessSnapshotSampler"/> so every replica reports the same truth.
/// </summary>
public sealed class BusinessMetrics : IDisposable
{
    public const string MeterName = "Shop.Api.Business";
    private readonly Meter _meter;
    private readonly Counter<long> _ordersPlaced;
    private readonly Counter<double> _orderValue;
    private readonly Counter<long> _cartsStarted;
    private BusinessSnapshot _snapshot = BusinessSnapshot.Empty;

    public BusinessMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _ordersPlaced = _meter.CreateCounter<long>("shop.orders.placed", "{order}", "Orders placed (checkouts that created an order).");
        _orderValue = _meter.CreateCounter<double>("shop.orders.placed_value", "{currency_unit}", "Total value of the orders placed, by currency.");
        _cartsStarted = _meter.CreateCounter<long>("shop.carts.started", "{cart}", "Carts that got their first line.");
        _meter.CreateObservableGauge("shop.orders.pending", () => Volatile.Read(ref _snapshot).PendingOrders, "{order}", "Orders placed and not yet paid or failed.");
        _meter.CreateObservableGauge("shop.products.top_units", () => Volatile.Read(ref _snapshot).TopProducts.Select((p, i) =>
            new Measurement<long>(p.Units, new("rank", i + 1), new("product", p.Name))),
            "{unit}", "Units ordered in the last hour of the five best-selling products.");
    }

    public void OrderPlaced(decimal total, string currency)
    {
        var tag = new KeyValuePair<string, object?>("currency", currency);
        _ordersPlaced.Add(1, tag);
        _orderValue.Add((double)total, tag);
    }

    public void CartStarted() => _cartsStarted.Add(1);

    public void Observe(BusinessSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    public void Dispose() => _meter.Dispose();
}

public sealed record TopProduct(string Name, long Units);

public sealed record BusinessSnapshot(long PendingOrders, IReadOnlyList<TopProduct> TopProducts)
{
    public static readonly BusinessSnapshot Empty = new(0, []);
}
