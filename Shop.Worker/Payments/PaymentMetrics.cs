using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Shop.Worker.Payments;

/// <summary>
/// Meter "Shop.Worker.Payments": the circuit breaker's state (0 closed, 1 open, 2 half-open) and
/// openings, retries of provider calls, and charge outcomes. Polly's own meter ("Polly") reports
/// the same events in its generic form.
/// </summary>
public sealed class PaymentMetrics : IDisposable
{
    public const string MeterName = "Shop.Worker.Payments";
    private readonly Meter _meter;
    private readonly Counter<long> _breakerOpenings;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _outcomes;
    private readonly Counter<double> _revenue;
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private int _breakerState;

    public PaymentMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _breakerOpenings = _meter.CreateCounter<long>("shop.payments.breaker.openings", "{opening}", "Times the payment provider's circuit breaker opened.");
        _retries = _meter.CreateCounter<long>("shop.payments.retries", "{retry}", "Provider calls retried after a transient failure.");
        _outcomes = _meter.CreateCounter<long>("shop.payments.outcomes", "{payment}", "Payment attempts by outcome: paid, declined, deferred.");
        _revenue = _meter.CreateCounter<double>("shop.payments.revenue", "{currency_unit}", "Money taken: totals of the orders paid, by currency.");
        _meter.CreateObservableGauge("shop.payments.breaker.state", () => Volatile.Read(ref _breakerState), "{state}", "0 closed, 1 open, 2 half-open.");
    }

    public void BreakerOpened()
    {
        Volatile.Write(ref _breakerState, 1);
        _breakerOpenings.Add(1);
        Count("breakerOpenings");
    }

    public void BreakerClosed() => Volatile.Write(ref _breakerState, 0);

    public void BreakerHalfOpened() => Volatile.Write(ref _breakerState, 2);

    public void Retried(string reason)
    {
        _retries.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Count("retries");
    }

    public void Outcome(string outcome)
    {
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        Count(outcome);
    }

    public void Paid(decimal total, string currency)
    {
        Outcome("paid");
        _revenue.Add((double)total, new KeyValuePair<string, object?>("currency", currency));
    }

    private void Count(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts) { ["breakerState"] = Volatile.Read(ref _breakerState) };

    public void Dispose() => _meter.Dispose();
}
