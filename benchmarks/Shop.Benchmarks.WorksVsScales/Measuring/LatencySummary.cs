namespace Shop.Benchmarks.WorksVsScales.Measuring;

/// <summary>Median and 95th percentile of one side's latencies, in milliseconds.</summary>
public sealed record LatencySummary(double MedianMs, double P95Ms, int Samples)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted.Length);
    }

    // Nearest rank: with few samples an interpolated p95 would invent a value nobody measured.
    private static double Percentile(double[] sorted, double p) =>
        sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}
