namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// A card provider's charge as a checkout would see it across the internet, in process so the
/// benchmark measures the shape of the checkout, not a network: 150 ms per call, and one call in
/// 20 hangs for a second and then fails (a timeout: the slow way to fail, the one that hurts).
/// </summary>
public sealed class FakePaymentProvider
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(150);
    public static readonly TimeSpan SlowFailure = TimeSpan.FromSeconds(1);
    public const double SlowFailureRate = 0.05;

    private readonly Random _random = new(5);
    private readonly Lock _gate = new();

    /// <returns>The charge id.</returns>
    /// <exception cref="TimeoutException">The provider did not answer in time.</exception>
    public async Task<string> ChargeAsync(decimal amount, CancellationToken cancellationToken)
    {
        bool fails;
        lock (_gate)
        {
            fails = _random.NextDouble() < SlowFailureRate;
        }
        if (fails)
        {
            await Task.Delay(SlowFailure, cancellationToken);
            throw new TimeoutException($"The payment provider did not answer within {SlowFailure.TotalSeconds:0} s.");
        }
        await Task.Delay(Latency, cancellationToken);
        return $"ch_{Guid.CreateVersion7():N}_{amount:0.00}";
    }
}
