using System.Globalization;

namespace Shop.Benchmarks.OrderCost;

/// <summary>The command line (see <see cref="Usage"/>).</summary>
public sealed record OrderCostOptions
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/Shop.Benchmarks.OrderCost -- [options]
          --seconds N            length of each measured phase (default 20)
          --orders-seed N        orders seeded by Shop.Seeder before measuring (default 100000; the issue's figures: 1000000)
          --customers N          seeded customers (default 2000)
          --products N           seeded products the spread checkouts buy from (default 200)
          --connections N        HTTP connections and requests in flight (default 32)
          --pgbench-scale N      pgbench -i scale of the scratch database (default 32, one branch per client)
          --window-rate N        checkouts/s of the CPU and outbox-lag window (default 80% of the spread
                                 saturation rate); a fixed rate compares two builds at the same load
          --out FILE             markdown report (default docs/order-cost/last-run.md)
          --profile DIR          after the figures: dotnet-trace (speedscope) and dotnet-counters of one api and
                                 one worker instance and Postgres's statement statistics, under spread checkouts
          --profile-seconds N    length of that profiled phase (default 15)
          --api URL              use a running stack instead of starting one; needs --shopdb and --postgres
          --shopdb CONN          that stack's shopdb connection string
          --postgres CONN        a superuser connection string of the same server (pgbench's scratch database)
          --stack-pid PID        that stack's AppHost process: its descendants are sampled for CPU time
        """;

    public int Seconds { get; init; } = 20;
    public int OrdersSeed { get; init; } = 100_000;
    public int Customers { get; init; } = 2_000;
    public int Products { get; init; } = 200;
    public int Connections { get; init; } = 32;
    public int PgbenchScale { get; init; } = 32;
    public int? WindowRate { get; init; }
    public string ReportPath { get; init; } = Path.Combine("docs", "order-cost", "last-run.md");
    public string? ProfileDirectory { get; init; }
    public int ProfileSeconds { get; init; } = 15;
    public Uri? Api { get; init; }
    public string? ShopDb { get; init; }
    public string? Postgres { get; init; }
    public int? StackPid { get; init; }

    public TimeSpan Phase => TimeSpan.FromSeconds(Seconds);

    public static OrderCostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new OrderCostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Count(value) },
                "--orders-seed" => options with { OrdersSeed = Count(value, allowZero: true) },
                "--customers" => options with { Customers = Count(value) },
                "--products" => options with { Products = Count(value) },
                "--connections" => options with { Connections = Count(value) },
                "--pgbench-scale" => options with { PgbenchScale = Count(value) },
                "--window-rate" => options with { WindowRate = Count(value) },
                "--out" => options with { ReportPath = value },
                "--profile" => options with { ProfileDirectory = value },
                "--profile-seconds" => options with { ProfileSeconds = Count(value) },
                "--api" => options with { Api = new Uri(value) },
                "--shopdb" => options with { ShopDb = value },
                "--postgres" => options with { Postgres = value },
                "--stack-pid" => options with { StackPid = Count(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
            i++;
        }
        if (options.Api is not null && (options.ShopDb is null || options.Postgres is null))
        {
            throw new ArgumentException($"--api needs --shopdb and --postgres too.\n{Usage}");
        }
        if (options.Customers < options.Connections + 3)
        {
            throw new ArgumentException("--customers must be at least --connections + 3 (the three big customers are not drivers).");
        }
        return options;
    }

    private static int Count(string text, bool allowZero = false)
    {
        var count = int.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return count > 0 || (allowZero && count == 0) ? count : throw new ArgumentException($"{text} must be at least {(allowZero ? 0 : 1)}.");
    }
}
