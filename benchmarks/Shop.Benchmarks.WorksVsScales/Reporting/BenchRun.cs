namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>What was seeded for one size and how long it took.</summary>
public sealed record SizeSeeded(int Orders, long OrderLines, int Products, int Customers, double SeedSeconds);

/// <summary>One whole run: its settings, the data of each size, and every pair's result.</summary>
public sealed record BenchRun(
    DateTime StartedAtUtc,
    double TotalSeconds,
    int ProcessorCount,
    int Rounds,
    int WarmupRounds,
    int Concurrency,
    IReadOnlyList<SizeSeeded> Sizes,
    IReadOnlyList<PairResult> Results);
