using System.Diagnostics;

namespace Shop.Benchmarks.WorksVsScales.Measuring;

/// <summary>One way of doing a thing: its label and one timed run for a given round's input.</summary>
public sealed record Side(string Label, Func<int, Task> RunAsync);

/// <summary>
/// Times two or more sides of a comparison interleaved: every round runs each side once, on the
/// same input (the round number picks it), and the side that goes first rotates. On a shared,
/// noisy machine a burst of someone else's work then lands on all sides alike instead of
/// skewing whichever side happened to be running.
/// </summary>
public static class SideBySide
{
    public static async Task<IReadOnlyList<LatencySummary>> MeasureAsync(int warmupRounds, int rounds, params Side[] sides)
    {
        for (var round = 0; round < warmupRounds; round++)
        {
            foreach (var side in sides)
            {
                await side.RunAsync(round);
            }
        }

        var samples = sides.Select(_ => new List<double>(rounds)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (round + k) % sides.Length;
                var started = Stopwatch.GetTimestamp();
                await sides[s].RunAsync(warmupRounds + round);
                samples[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return [.. samples.Select(LatencySummary.Of)];
    }
}
