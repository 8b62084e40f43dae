namespace Shop.PaymentProvider.Behaviour;

/// <summary>
/// How the provider misbehaves right now. Changed at run time through PUT /admin/behaviour;
/// every request reads one consistent snapshot.
/// </summary>
public sealed record ProviderBehaviour
{
    public static readonly ProviderBehaviour Healthy = new();

    /// <summary>Share of requests answered with a 5xx (0..1). Half of them fail after the charge was recorded: the answer is lost, the money is not.</summary>
    public double FailureRate { get; init; }

    /// <summary>Share of requests that hang for <see cref="StallMilliseconds"/> before being processed (0..1).</summary>
    public double StallRate { get; init; }

    public int StallMilliseconds { get; init; } = 10_000;

    /// <summary>Added to every request.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>Charges of exactly these amounts are declined (a card with no funds), permanently.</summary>
    public IReadOnlyList<decimal> DeclineAmounts { get; init; } = [];

    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (FailureRate is < 0 or > 1)
        {
            yield return ("failureRate", "Must be between 0 and 1.");
        }
        if (StallRate is < 0 or > 1)
        {
            yield return ("stallRate", "Must be between 0 and 1.");
        }
        if (StallMilliseconds is < 0 or > 300_000)
        {
            yield return ("stallMilliseconds", "Must be between 0 and 300000.");
        }
        if (LatencyMilliseconds is < 0 or > 60_000)
        {
            yield return ("latencyMilliseconds", "Must be between 0 and 60000.");
        }
    }
}

/// <summary>The current behaviour, swapped atomically.</summary>
public sealed class ProviderBehaviourState
{
    private ProviderBehaviour _current = ProviderBehaviour.Healthy;

    public ProviderBehaviour Current => Volatile.Read(ref _current);

    public void Set(ProviderBehaviour behaviour) => Volatile.Write(ref _current, behaviour);
}
