using System.Diagnostics;
using Shop.Benchmarks.WorksVsScales;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Pairs;
using Shop.Benchmarks.WorksVsScales.Reporting;

// Works vs scales, side by side: the naive and the scalable way of five things a shop does,
// measured on the same data at growing sizes (docs/works-vs-scales.md). Usage:
//   dotnet run -c Release --project benchmarks/Shop.Benchmarks.WorksVsScales -- [--sizes 10000,100000,1000000] [--rounds N] [--out docs/works-vs-scales]
var options = BenchOptions.Parse(args);
var startedAt = DateTime.UtcNow;
var clock = Stopwatch.StartNew();

Console.WriteLine("Starting the stack (Postgres, Redis, the API for its migrations; throwaway data)...");
await using var stack = await BenchStack.StartAsync();
Console.WriteLine($"Stack healthy after {clock.Elapsed.TotalSeconds:0} s");

var context = new BenchContext(stack.Database, stack.RedisConnectionString, options);
IComparison[] pairs =
[
    new OffsetVsKeyset(context),
    new NPlusOneVsOneQuery(context),
    new MissingVsRightIndex(context),
    new NoCacheVsHybridCache(context),
    new PaymentInRequestVsQueued(context),
];

var seeder = new ShopDataSeeder(stack.Database, Console.Out);
var seeded = new List<SizeSeeded>();
var results = new List<PairResult>();
foreach (var size in options.Sizes)
{
    var data = await seeder.SeedAsync(size);
    seeded.Add(new SizeSeeded(data.Orders, data.OrderLines, data.Products, data.Customers.Count, data.SeedTime.TotalSeconds));
    ResultTable.WriteHeader(Console.Out);
    foreach (var pair in pairs)
    {
        var measured = await pair.RunAsync(data, CancellationToken.None);
        ResultTable.WriteRows(measured, Console.Out);
        results.AddRange(measured);
    }
}

// Each pair's sizes together, pairs in the order above.
var ordered = results.GroupBy(r => r.Pair).SelectMany(g => g.OrderBy(r => r.Size)).ToList();
Console.WriteLine();
ResultTable.Write(ordered, Console.Out);
Console.WriteLine();
ResultTable.WriteFigures(ordered, Console.Out);

var run = new BenchRun(startedAt, clock.Elapsed.TotalSeconds, Environment.ProcessorCount,
    options.Rounds, options.WarmupRounds, options.Concurrency, seeded, ordered);
foreach (var file in await ResultFiles.WriteAsync(run, options.OutDirectory))
{
    Console.WriteLine($"wrote {file}");
}
