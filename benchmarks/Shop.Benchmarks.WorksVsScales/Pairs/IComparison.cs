using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Reporting;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>A naive and a scalable way of doing the same thing, measured side by side on one size's data.</summary>
public interface IComparison
{
    Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken);
}
