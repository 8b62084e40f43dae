using Shop.Benchmarks.WorksVsScales.Measuring;

namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>A figure beside the latencies, printed as <c>{pair}_{size}_{name}: {value}</c> (a plan node, a throughput).</summary>
public sealed record Figure(string Name, string Value);

/// <summary>
/// The naive and the scalable side of one pair at one data size.
/// </summary>
/// <param name="Pair">Key of the pair, used in figure names and file names: offset_vs_keyset.</param>
/// <param name="Chart">The chart the pair is drawn on (pairs sharing a naive side share a chart).</param>
/// <param name="Size">Rows in orders when measured.</param>
public sealed record PairResult(
    string Pair,
    string Chart,
    string Title,
    int Size,
    string NaiveLabel,
    LatencySummary Naive,
    string ScalableLabel,
    LatencySummary Scalable,
    IReadOnlyList<Figure> Figures)
{
    /// <summary>How many times slower the naive side is (medians).</summary>
    public double Ratio => Naive.MedianMs / Scalable.MedianMs;
}
