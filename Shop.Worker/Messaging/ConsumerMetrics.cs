using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Shop.Worker.Messaging;

/// <summary>
/// Meter "Shop.Worker.Messaging": per consumer, messages by outcome, handling duration, retries,
/// dead letters, and the depth of every queue (sampled by <see cref="QueueDepthSampler"/>). The
/// same numbers are kept in memory for GET /api/v1/admin/consumers.
/// </summary>
public sealed class ConsumerMetrics : IDisposable
{
    public const string MeterName = "Shop.Worker.Messaging";
    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _deadLetters;
    private readonly ConcurrentDictionary<string, ConsumerStats> _stats = new();
    private readonly ConcurrentDictionary<string, long> _depths = new();

    public ConsumerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _messages = _meter.CreateCounter<long>("shop.consumer.messages", "{message}", "Messages settled, by consumer and outcome (done, retry, defer, poison, requeue, duplicate).");
        _duration = _meter.CreateHistogram<double>("shop.consumer.duration", "s", "Time to handle one message.");
        _deadLetters = _meter.CreateCounter<long>("shop.consumer.dead_letters", "{message}", "Messages moved to a dead-letter queue.");
        _meter.CreateObservableGauge("shop.queue.depth", () => _depths.Select(d =>
            new Measurement<long>(d.Value, new KeyValuePair<string, object?>("messaging.destination.name", d.Key))), "{message}", "Ready messages in the queue.");
    }

    public void Settled(string consumer, string outcome, TimeSpan duration)
    {
        var consumerTag = new KeyValuePair<string, object?>("consumer", consumer);
        _messages.Add(1, consumerTag, new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(duration.TotalSeconds, consumerTag);
        _stats.GetOrAdd(consumer, _ => new ConsumerStats()).Add(outcome, duration);
        if (outcome == "poison")
        {
            _deadLetters.Add(1, consumerTag);
        }
    }

    public void DeadLettered(string consumer) => _stats.GetOrAdd(consumer, _ => new ConsumerStats()).Add("dead-lettered", TimeSpan.Zero);

    public void ObserveDepth(string queue, long depth) => _depths[queue] = depth;

    public IReadOnlyDictionary<string, long> Depths => _depths;

    public IReadOnlyDictionary<string, long> Snapshot(string consumer) =>
        _stats.TryGetValue(consumer, out var stats) ? stats.Snapshot() : new Dictionary<string, long>();

    public void Dispose() => _meter.Dispose();

    private sealed class ConsumerStats
    {
        private readonly ConcurrentDictionary<string, long> _counts = new();
        private long _durationTicks;

        public void Add(string outcome, TimeSpan duration)
        {
            _counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            Interlocked.Add(ref _durationTicks, duration.Ticks);
        }

        public IReadOnlyDictionary<string, long> Snapshot()
        {
            var snapshot = new Dictionary<string, long>(_counts);
            var total = snapshot.Where(kv => kv.Key != "dead-lettered").Sum(kv => kv.Value);
            snapshot["totalDurationMs"] = (long)TimeSpan.FromTicks(Interlocked.Read(ref _durationTicks)).TotalMilliseconds;
            snapshot["handled"] = total;
            return snapshot;
        }
    }
}
