using System.Diagnostics;

namespace Shop.Benchmarks.WorksVsScales.Measuring;

/// <summary>
/// Throughput at a fixed number of operations in flight (a closed loop: each worker starts its
/// next operation when the last one ends, like a pool of busy clients). Sides alternate in
/// phases (a, b, a, b) so noise lands on both.
/// </summary>
public static class FixedConcurrency
{
    /// <returns>Completed operations per second for each side.</returns>
    public static async Task<IReadOnlyList<double>> MeasureAsync(int concurrency, TimeSpan phase, int phasesPerSide, params Side[] sides)
    {
        var completed = new long[sides.Length];
        var elapsed = new double[sides.Length];
        for (var p = 0; p < phasesPerSide; p++)
        {
            for (var s = 0; s < sides.Length; s++)
            {
                var (count, seconds) = await RunPhaseAsync(concurrency, phase, sides[s]);
                completed[s] += count;
                elapsed[s] += seconds;
            }
        }
        return [.. completed.Select((count, s) => count / elapsed[s])];
    }

    private static async Task<(long Completed, double Seconds)> RunPhaseAsync(int concurrency, TimeSpan phase, Side side)
    {
        long completed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < phase)
            {
                await side.RunAsync(Interlocked.Increment(ref next));
                Interlocked.Increment(ref completed);
            }
        }));
        await Task.WhenAll(workers);
        // Operations still running at the deadline finish and count, over the time they took.
        return (completed, clock.Elapsed.TotalSeconds);
    }
}
