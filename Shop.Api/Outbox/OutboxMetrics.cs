using System.Diagnostics.Metrics;

namespace Shop.Api.Outbox;

/// <summary>
/// Meter "Shop.Api.Outbox" (ServiceDefaults exports every "Shop.*" meter): backlog and age of the
/// oldest unsent message as observable gauges (sampled, see <see cref="OutboxBacklogSampler"/>),
/// published and failed counts, and the created → published lag.
/// </summary>
public sealed class OutboxMetrics : IDisposable
{
    public const string MeterName = "Shop.Api.Outbox";
    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _lag;
    private OutboxBacklog _backlog = new(0, 0);

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _published = _meter.CreateCounter<long>("shop.outbox.published", "{message}", "Outbox messages published and confirmed by the broker.");
        _failed = _meter.CreateCounter<long>("shop.outbox.publish_failures", "{message}", "Publish attempts that failed (broker down, no confirm).");
        _lag = _meter.CreateHistogram<double>("shop.outbox.lag", "s", "Time from the outbox write to the broker's confirm.");
        _meter.CreateObservableGauge("shop.outbox.backlog", () => Volatile.Read(ref _backlog).Pending, "{message}", "Unsent outbox messages.");
        _meter.CreateObservableGauge("shop.outbox.oldest_age", () => Volatile.Read(ref _backlog).OldestPendingAgeSeconds, "s", "Age of the oldest unsent outbox message.");
    }

    public void Published(string routingKey, TimeSpan lag)
    {
        var tag = new KeyValuePair<string, object?>("messaging.rabbitmq.destination.routing_key", routingKey);
        _published.Add(1, tag);
        _lag.Record(lag.TotalSeconds, tag);
    }

    public void Failed(int count) => _failed.Add(count);

    public void Observe(OutboxBacklog backlog) => Volatile.Write(ref _backlog, backlog);

    public void Dispose() => _meter.Dispose();
}
