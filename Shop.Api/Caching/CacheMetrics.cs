using System.Diagnostics.Metrics;

namespace Shop.Api.Caching;

/// <summary>
/// Meter "Shop.Api.Caching" (ServiceDefaults exports every "Shop.*" meter): shop.cache.requests,
/// every cached read by entry kind (<c>shop.cache.entry</c>: product, page, categories) and the
/// layer that answered it (<c>shop.cache.layer</c>):
/// <list type="bullet">
/// <item><c>l1</c>: this process's memory. HybridCache answers those synchronously (a completed
/// ValueTask), which is how they are told apart without a second lookup.</item>
/// <item><c>database</c>: a miss in both layers, this call ran the factory (a Postgres read).</item>
/// <item><c>l2</c>: everything else, i.e. Redis had it; this also counts a call that joined a
/// concurrent read of the same key (HybridCache's stampede protection), which went to Redis or
/// to the database once for both.</item>
/// </list>
/// Hit ratio = (l1 + l2) / all; database reads per request = database / all.
/// </summary>
public sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Shop.Api.Caching";
    public const string L1 = "l1";
    public const string L2 = "l2";
    public const string Database = "database";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;

    public CacheMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("shop.cache.requests", "{request}",
            "Cached reads by the layer that answered: l1 (process memory), l2 (Redis), database (miss: the factory ran).");
    }

    /// <summary>
    /// Awaits a HybridCache read started with <paramref name="call"/> in its factory's state and
    /// counts it by the layer that answered.
    /// </summary>
    public async ValueTask<T> MeasureAsync<T>(string entry, CacheCall call, ValueTask<T> read)
    {
        if (read.IsCompletedSuccessfully)
        {
            Record(entry, L1);
            return read.Result;
        }
        var value = await read;
        Record(entry, call.FactoryRan ? Database : L2);
        return value;
    }

    private void Record(string entry, string layer) =>
        _requests.Add(1, new KeyValuePair<string, object?>("shop.cache.entry", entry), new KeyValuePair<string, object?>("shop.cache.layer", layer));

    public void Dispose() => _meter.Dispose();
}

/// <summary>One cached read; its factory marks it when it had to go to the database.</summary>
public sealed class CacheCall
{
    private volatile bool _factoryRan;

    public bool FactoryRan => _factoryRan;

    public void MarkFactoryRan() => _factoryRan = true;
}
