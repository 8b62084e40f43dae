namespace Shop.Benchmarks.Common;

/// <summary>Median, 95th and 99th percentile of one side's latencies, in milliseconds.</summary>
public sealed record LatencySummary(double MedianMs, double P95Ms, double P99Ms, int Samples)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(double.NaN, double.NaN, double.NaN, 0);
        }
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted.Length);
    }

    // Nearest rank: with few samples an interpolated p95 would invent a value nobody measured.
    public static double Percentile(double[] sorted, double p) =>
        sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
