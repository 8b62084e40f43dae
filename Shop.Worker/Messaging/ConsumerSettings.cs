namespace Shop.Worker.Messaging;

/// <summary>
/// One consumer's queue and limits. Each consumer has its own queue, channel, prefetch and
/// concurrency, so a slow one (payments waiting on the provider) never holds up the others.
/// </summary>
public sealed record ConsumerSettings(string Name, string Queue, IReadOnlyList<string> RoutingKeys)
{
    /// <summary>Unacked messages the broker may push to us at once.</summary>
    public ushort Prefetch { get; init; } = 16;

    /// <summary>Messages handled at the same time.</summary>
    public ushort Concurrency { get; init; } = 4;

    /// <summary>Failed attempts (Retry results, exceptions) before the message goes to the dead-letter queue.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How long a retried or deferred message waits in the retry queue.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public string RetryQueue => $"{Queue}.retry";

    public string DeadLetterQueue => $"{Queue}.dead-letters";
}

/// <summary>Every consumer of this worker: for the dead-letter admin API, queue depth and readiness.</summary>
public sealed class ConsumerRegistry
{
    private readonly List<ConsumerSettings> _consumers = [];
    private readonly HashSet<string> _ready = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<ConsumerSettings> Consumers
    {
        get
        {
            lock (_gate)
            {
                return [.. _consumers];
            }
        }
    }

    public void Add(ConsumerSettings settings)
    {
        lock (_gate)
        {
            _consumers.Add(settings);
        }
    }

    public ConsumerSettings? Find(string name) => Consumers.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The consumer declared its queues and is consuming: events published from now on reach it.</summary>
    public void MarkReady(string name)
    {
        lock (_gate)
        {
            _ready.Add(name);
        }
    }

    public bool AllReady
    {
        get
        {
            lock (_gate)
            {
                return _consumers.All(c => _ready.Contains(c.Name));
            }
        }
    }
}
