using System.Globalization;

namespace Shop.Benchmarks.WorksVsScales;

/// <summary>
/// The command line: <c>[--sizes 10000,100000,1000000] [--rounds N] [--warmup N] [--out DIR]
/// [--concurrency N] [--throughput-seconds S]</c>.
/// </summary>
public sealed record BenchOptions
{
    /// <summary>Rows in the orders table for each run, smallest first.</summary>
    public IReadOnlyList<int> Sizes { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>Measured rounds per pair and size; each round runs every side once.</summary>
    public int Rounds { get; init; } = 40;

    /// <summary>Unmeasured rounds first: JIT, connection pools, Postgres buffers.</summary>
    public int WarmupRounds { get; init; } = 5;

    /// <summary>Checkouts in flight at once when measuring throughput.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Length of each throughput phase (two per side, interleaved).</summary>
    public TimeSpan ThroughputPhase { get; init; } = TimeSpan.FromSeconds(3);

    public string OutDirectory { get; init; } = Path.Combine("docs", "works-vs-scales");

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = [.. value.Split(',').Select(ParseCount).Order()] },
                "--rounds" => options with { Rounds = ParseCount(value) },
                "--warmup" => options with { WarmupRounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = ParseCount(value) },
                "--throughput-seconds" => options with { ThroughputPhase = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--out" => options with { OutDirectory = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Usage: [--sizes 10000,100000,1000000] [--rounds N] [--warmup N] [--out DIR] [--concurrency N] [--throughput-seconds S]"),
            };
            i++;
        }
        return options;
    }

    private static int ParseCount(string text)
    {
        var count = int.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return count > 0 ? count : throw new ArgumentException($"{text} must be at least 1.");
    }
}
