using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;
using Shop.Benchmarks.Common;
using Shop.Benchmarks.OrderCost;
using Shop.Benchmarks.OrderCost.Load;
using Shop.Benchmarks.OrderCost.Measuring;
using Shop.Benchmarks.OrderCost.Reporting;
using Shop.Seeder;

// The cost of an order (issue 11): checkouts at saturation on 200 products and on one, pgbench
// TPC-B on the same Postgres, CPU time of every process per paid order, outbox lag at 80% of the
// saturated rate, order reads against cached JSON. Usage (docs/measuring.md, "Cost of an order"):
//   dotnet run -c Release --project benchmarks/Shop.Benchmarks.OrderCost -- [--seconds 20] [--orders-seed 100000] [--profile DIR]
OrderCostOptions options;
try
{
    options = OrderCostOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Ctrl+C and SIGTERM end the run through the token, so the stack is always stopped and its
// throwaway data deleted (DCP also stops it if this process dies outright: it watches us).
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("Stopping: the stack is shut down first...");
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
var cancellationToken = stop.Token;

var repositoryRoot = RepositoryRoot();
var reportPath = Path.IsPathRooted(options.ReportPath) ? options.ReportPath : Path.Combine(repositoryRoot, options.ReportPath);
var profileDirectory = options.ProfileDirectory is null ? null
    : Path.IsPathRooted(options.ProfileDirectory) ? options.ProfileDirectory : Path.Combine(repositoryRoot, options.ProfileDirectory);
var startedAt = DateTime.UtcNow;
var clock = Stopwatch.StartNew();
var loadAtStart = MachineCpu.LoadAverage();

Console.WriteLine(options.Api is null
    ? "Starting the stack (api x2, worker x2, payments, mail, postgres, redis, rabbitmq; native servers, throwaway data)..."
    : $"Using the running stack at {options.Api}");
OrderCostStack stack;
try
{
    stack = await OrderCostStack.StartAsync(options).WaitAsync(cancellationToken);
}
catch (OperationCanceledException)
{
    return 130;
}
await using (stack)
{
    try
    {
        await RunAsync(stack, cancellationToken);
        return 0;
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        Console.Error.WriteLine("Cancelled; stopping the stack.");
        return 130;
    }
}

async Task RunAsync(OrderCostStack stack, CancellationToken cancellationToken)
{
    Console.WriteLine($"Stack ready after {clock.Elapsed.TotalSeconds:0} s (api {stack.Api})");
    var superuserShopDb = new NpgsqlConnectionStringBuilder(stack.Postgres) { Database = new NpgsqlConnectionStringBuilder(stack.ShopDb).Database }.ConnectionString;
    await using var shopDb = NpgsqlDataSource.Create(stack.ShopDb);
    var pipeline = new Pipeline(shopDb);
    var figures = new Figures();

    // Seeding: Shop.Seeder's own code (customers who can sign in, products, the order volume).
    try
    {
        var seeded = await new ShopSeeder(stack.ShopDb, new SeedOptions
        {
            Orders = options.OrdersSeed,
            Products = options.Products,
            Users = options.Customers,
            BigCustomers = 3,
        }, TextWriter.Null).SeedAsync(cancellationToken);
        Console.WriteLine($"Seeded {seeded.Products:N0} products, {seeded.Users:N0} customers, {seeded.Orders:N0} orders ({seeded.OrderLines:N0} lines) in {seeded.Elapsed.TotalSeconds:0} s");
    }
    catch (InvalidOperationException e) when (options.Api is not null && e.Message.Contains("already seeded", StringComparison.Ordinal))
    {
        Console.WriteLine("The running stack is already seeded: using its data.");
    }
    var products = await PrepareProductsAsync(shopDb, options.Products, cancellationToken);

    using var load = new HttpLoad(stack.Api, options.Connections);
    var requests = await ShopRequests.SignInAsync(load.Client, options.Connections, products, cancellationToken);
    var half = TimeSpan.FromSeconds(options.Seconds / 2.0);

    Console.WriteLine($"Warm-up: {Math.Min(options.Seconds, 5)} s of spread checkouts, then the pipeline drains");
    var warmupFrom = await pipeline.NowAsync(cancellationToken);
    Report(await load.SaturateAsync(requests.SpreadCheckout("warm-up"), TimeSpan.FromSeconds(Math.Min(options.Seconds, 5)), cancellationToken));
    await DrainAsync(pipeline, warmupFrom, cancellationToken);

    // 1, 2: saturation, 200 products vs one, alternating halves so noise lands on both.
    Console.WriteLine($"Checkouts at saturation, {options.Connections} connections: spread and hot alternating, {options.Seconds} s each");
    var checkoutsFrom = await pipeline.NowAsync(cancellationToken);
    var spread = new List<LoadResult>();
    var hot = new List<LoadResult>();
    for (var round = 0; round < 2; round++)
    {
        spread.Add(Report(await load.SaturateAsync(requests.SpreadCheckout(), half, cancellationToken)));
        hot.Add(Report(await load.SaturateAsync(requests.HotCheckout(), half, cancellationToken)));
    }
    var spreadRate = Rate(spread);
    var hotRate = Rate(hot);
    var hotLatency = LatencySummary.Of([.. hot.SelectMany(r => r.LatenciesMs)]);
    var spreadLatency = LatencySummary.Of([.. spread.SelectMany(r => r.LatenciesMs)]);
    figures.Add("checkout_per_s_spread", spreadRate, $"checkouts answered 201 per second, {options.Connections} connections, {products.Count} products, fresh Idempotency-Key each");
    figures.Add("checkout_per_s_hot", hotRate, "the same on one product");
    figures.Add("checkout_hot_p99_ms", hotLatency.P99Ms, $"p99 of the hot checkouts (p50 {Figures.Format(hotLatency.MedianMs)} ms)");
    figures.Add("checkout_spread_p99_ms", spreadLatency.P99Ms, $"p99 of the spread checkouts (p50 {Figures.Format(spreadLatency.MedianMs)} ms)");
    figures.Add("hot_per_spread", hotRate / spreadRate, "goal 0.5 or more");
    var failed = spread.Concat(hot).Sum(r => r.Failed);
    if (failed > 0)
    {
        figures.Note($"{failed:N0} checkouts failed at saturation: {string.Join(", ", spread.Concat(hot).SelectMany(r => r.Failures).GroupBy(f => f.Key).Select(g => $"{g.Key} x {g.Sum(f => f.Value)}"))}");
    }
    var (afterCheckouts, drainedAfterCheckouts) = await DrainAsync(pipeline, checkoutsFrom, cancellationToken);
    figures.Note($"Saturation phases: {afterCheckouts.Placed:N0} orders placed, {afterCheckouts.Paid:N0} paid, {afterCheckouts.Failed:N0} declined, {afterCheckouts.Emails:N0} mails{(drainedAfterCheckouts ? "" : " (not drained in time)")}.");

    // 4: pgbench TPC-B on the same server, same clients and duration, with the stack idle but running.
    if (Pgbench.Binary() is { } pgbench)
    {
        Console.WriteLine($"pgbench TPC-B: -i -s {options.PgbenchScale} in a scratch database, then {options.Connections} clients for {options.Seconds} s");
        try
        {
            await Pgbench.InitialiseAsync(pgbench, stack.Postgres, options.PgbenchScale, Console.Out, cancellationToken);
            var tps = await Pgbench.RunTpcbAsync(pgbench, stack.Postgres, options.Connections, options.Phase, cancellationToken);
            figures.Add("pgbench_tpcb_tps", tps, $"pgbench TPC-B, {options.Connections} clients, scale {options.PgbenchScale}, {options.Seconds} s, same server");
            figures.Add("checkout_per_tpcb", spreadRate / tps, "goal 0.3 or more");
        }
        finally
        {
            await Pgbench.DropAsync(stack.Postgres, CancellationToken.None);
        }
    }
    else
    {
        figures.Add("pgbench_tpcb_tps", double.NaN, "pgbench not found (postgresql-client)");
        figures.Add("checkout_per_tpcb", double.NaN, "");
    }

    // 3, 5: 80% of the saturated rate; outbox lag of the window's messages; CPU of every process
    // from the first checkout until the last of the window's orders is paid and mailed.
    // CPU per order depends on the rate (fixed costs spread over more orders, batches fill up), so
    // two builds are compared at one fixed rate; by default the window runs at 80% of saturation.
    var target = options.WindowRate ?? 0.8 * spreadRate;
    Console.WriteLine($"Checkouts at {(options.WindowRate is null ? "80% of saturation" : "a fixed rate")} ({target:0}/s) for {options.Seconds} s, then until every order is decided and mailed: CPU time and outbox lag");
    // The pgbench load above wrote ~500 MB: flush it now, so its checkpoint does not land in the window.
    await using (var checkpoint = new NpgsqlConnection(stack.Postgres))
    {
        await checkpoint.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("CHECKPOINT", checkpoint) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
    var windowFrom = await pipeline.NowAsync(cancellationToken);
    var cpuBefore = CpuSampleOf(stack);
    var machineBefore = MachineCpu.BusyMs();
    var windowClock = Stopwatch.StartNew();
    var paced = Report(await load.PaceAsync(requests.SpreadCheckout("checkout at 80%"), target, options.Phase, cancellationToken));
    var windowTo = await pipeline.NowAsync(cancellationToken);
    var (window, drained) = await DrainAsync(pipeline, windowFrom, cancellationToken);
    var cpuAfter = CpuSampleOf(stack);
    var machineAfter = MachineCpu.BusyMs();
    var windowSeconds = windowClock.Elapsed.TotalSeconds;
    var lag = await pipeline.OutboxLagAsync(windowFrom, windowTo, cancellationToken);
    figures.Add("checkout_per_s_at_80pct", paced.PerSecond, $"offered {target:0}/s{(options.WindowRate is null ? "" : $" (--window-rate; 80% of saturation would be {0.8 * spreadRate:0}/s)")}");
    figures.Add("outbox_lag_p95_ms_at_80pct", lag.P95Ms, $"outbox_messages sent_at - created_at of the {lag.Messages:N0} messages written in the window (p50 {Figures.Format(lag.P50Ms)} ms, max {Figures.Format(lag.MaxMs)} ms); goal under 1000");
    var paid = Math.Max(1, window.Paid);
    var stackMs = cpuAfter.StackMs - cpuBefore.StackMs;
    figures.Add("cpu_ms_per_paid_order", stackMs / paid, $"utime+stime of every process of the stack over {window.Paid:N0} orders checkout to paid ({windowSeconds:0.0} s window, mails and analytics included); goal 6 or less");
    foreach (var group in ProcessCpu.Groups)
    {
        figures.Add($"cpu_ms_per_paid_order_{group}", (cpuAfter.GroupsMs[group] - cpuBefore.GroupsMs[group]) / paid,
            group switch
            {
                "postgres" => "postmaster and backends; goal 2.5 or less",
                "rabbitmq" => "beam.smp, epmd and their helpers",
                "payments" => "the payment provider stand-in",
                "mail" => "smtp4dev",
                "redis" => "redis-server (rate limits, cache)",
                "rest" => "DCP (its proxies carry the requests to api and payments and the SMTP to mail), any `dotnet run` launchers",
                _ => $"both {group} replicas and their launchers",
            });
    }
    figures.Note("Postgres CPU in the window by process, ms per paid order: " + string.Join(", ",
        cpuAfter.PostgresMs.Keys.Union(cpuBefore.PostgresMs.Keys).Order(StringComparer.Ordinal)
            .Select(role => (role, ms: cpuAfter.PostgresMs.GetValueOrDefault(role) - cpuBefore.PostgresMs.GetValueOrDefault(role)))
            .Where(r => Math.Abs(r.ms) >= 0.5)
            .Select(r => $"{r.role} {Figures.Format(r.ms / paid)}")) + " (a backend that exits moves its time to the postmaster).");
    var mailMs = cpuAfter.GroupsMs["mail"] - cpuBefore.GroupsMs["mail"];
    figures.Add("cpu_ms_per_paid_order_without_mail", (stackMs - mailMs) / paid,
        "the total without smtp4dev, the development mail server (a stand-in for an SMTP relay outside the shop, as payments is for a card provider)");
    var driverMs = cpuAfter.DriverMs - cpuBefore.DriverMs;
    figures.Add("cpu_ms_per_paid_order_driver", driverMs / paid, "this process: the load driver and the in-process AppHost host; not in the total");
    var otherMs = machineAfter - machineBefore - stackMs - driverMs;
    figures.Add("machine_other_cpu_pct", 100 * otherMs / (windowSeconds * 1000 * Environment.ProcessorCount),
        $"CPU of the {Environment.ProcessorCount} cores used by processes outside the stack and the driver during that window (0 on a quiet machine)");
    figures.Note($"80% window: {window.Placed:N0} placed, {window.Paid:N0} paid, {window.Failed:N0} declined, {window.Emails:N0} mailed{(drained ? "" : $", NOT drained ({window.Pending:N0} pending, {window.OutboxUnsent:N0} unsent)")}; {paced.Failed:N0} checkouts failed.");
    var debugServices = cpuAfter.Processes.Where(p => p.Value.Name.StartsWith("Shop.", StringComparison.Ordinal) && CommandLine(p.Key).Contains("/bin/Debug/", StringComparison.Ordinal)).Select(p => p.Value.Name).Distinct().ToList();
    figures.Note(debugServices.Count == 0 ? "The services ran their Release builds." : $"DEBUG builds ran: {string.Join(", ", debugServices)}; the figures are not comparable.");
    figures.Note($"Processes sampled: {string.Join(", ", cpuAfter.Processes.GroupBy(p => p.Value.Group).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()} ({string.Join(" ", g.Select(p => p.Value.Name).Distinct().Order(StringComparer.Ordinal))})"))}.");

    // 6: reads at the same number of connections, the three interleaved.
    Console.WriteLine($"Reads, {options.Connections} connections: order by id, cached JSON, history page 1, interleaved, {options.Seconds} s each");
    var reads = new[] { requests.OrderById(), requests.CachedJson(), requests.HistoryPage() };
    var readResults = reads.Select(_ => new List<LoadResult>()).ToArray();
    foreach (var read in reads)
    {
        await load.SaturateAsync(read, TimeSpan.FromSeconds(1), cancellationToken); // warm-up
    }
    for (var round = 0; round < 2; round++)
    {
        for (var k = 0; k < reads.Length; k++)
        {
            var s = (round + k) % reads.Length;
            readResults[s].Add(Report(await load.SaturateAsync(reads[s], half, cancellationToken)));
        }
    }
    var byId = Rate(readResults[0]);
    var cached = Rate(readResults[1]);
    var history = Rate(readResults[2]);
    var bigCustomerOrders = await CountAsync(shopDb, "SELECT count(*) FROM orders o JOIN users u ON u.id = o.customer_id WHERE lower(u.email) = lower(@email)", SeedOptions.EmailOf(0), cancellationToken);
    figures.Add("order_by_id_per_s", byId, "GET /api/v1/orders/{id} of the connection's own orders");
    figures.Add("cached_json_per_s", cached, "GET /api/v1/categories with the same tokens");
    figures.Add("order_by_id_per_cached_json", byId / cached, "goal 0.3 or more (TechEmpower's ASP.NET Core single query / JSON: 0.33)");
    figures.Add("history_page_per_s", history, $"GET /api/v1/orders page 1 (20) of a customer with {bigCustomerOrders:N0} orders");
    figures.Add("history_page_per_order_by_id", history / byId, "goal 0.6 or more");

    if (profileDirectory is not null)
    {
        await ProfileAsync(stack, load, requests, pipeline, superuserShopDb, profileDirectory, cancellationToken);
    }

    Console.WriteLine();
    figures.WriteLines(Console.Out);
    var loadAtEnd = MachineCpu.LoadAverage();
    Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
    await File.WriteAllTextAsync(reportPath, figures.Markdown("Cost of an order: one run", [
        $"Run {startedAt:yyyy-MM-dd HH:mm} UTC, {clock.Elapsed.TotalSeconds:0} s in all, {Environment.ProcessorCount} cores; load average at start `{loadAtStart}`, at end `{loadAtEnd}`.",
        $"Command: `dotnet run -c Release --project benchmarks/Shop.Benchmarks.OrderCost -- {string.Join(' ', args)}`",
        $"Stack: {(options.Api is null ? "started by the benchmark (AppHost model, api x2, worker x2, payments, mail, native postgres/redis/rabbitmq, throwaway data; web and monitoring left out)" : $"running at {options.Api}")}; " +
        $"seeded {options.OrdersSeed:N0} orders, {options.Customers:N0} customers, {options.Products} products; {options.Connections} connections; phases of {options.Seconds} s.",
    ]), CancellationToken.None);
    Console.WriteLine($"wrote {reportPath}");
}

async Task ProfileAsync(OrderCostStack stack, HttpLoad load, ShopRequests requests, Pipeline pipeline, string superuserShopDb, string directory, CancellationToken cancellationToken)
{
    var processes = CpuSampleOf(stack).Processes;
    var targets = new Dictionary<string, int>(StringComparer.Ordinal);
    foreach (var (label, name) in new[] { ("api", "Shop.Api"), ("worker", "Shop.Worker") })
    {
        if (processes.Where(p => p.Value.Name == name).Select(p => p.Key).Order().FirstOrDefault() is var pid and > 0)
        {
            targets[label] = pid;
        }
    }
    var profileLength = TimeSpan.FromSeconds(options.ProfileSeconds);
    Console.WriteLine($"Profiling {options.ProfileSeconds} s of spread checkouts: dotnet-trace and dotnet-counters of {string.Join(", ", targets.Select(t => $"{t.Key} (pid {t.Value})"))}, Postgres statistics -> {directory}");
    var statements = await Profiler.ResetStatementsAsync(superuserShopDb, cancellationToken);
    var profiler = new Profiler(directory, repositoryRoot, Console.Out);
    // The tools attach for a little longer than the load runs, so the whole phase is in the trace.
    profiler.Start(targets, profileLength + TimeSpan.FromSeconds(4));
    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
    var from = await pipeline.NowAsync(cancellationToken);
    var profiled = Report(await load.SaturateAsync(requests.SpreadCheckout("checkout profiled"), profileLength, cancellationToken));
    await profiler.StopAsync(cancellationToken);
    await DrainAsync(pipeline, from, cancellationToken);
    var written = await profiler.WriteStatementsAsync(superuserShopDb, statements, profiled.Succeeded, cancellationToken);
    Console.WriteLine($"wrote {written} and the traces (*.speedscope.json) and counters (*-counters.csv) beside it");
}

// Without the AppHost's process id (a running stack given without --stack-pid) nothing is sampled: n/a.
static CpuSample CpuSampleOf(OrderCostStack stack) =>
    stack.RootPid > 0 ? ProcessCpu.Sample(stack.RootPid)
    : new CpuSample(ProcessCpu.Groups.ToDictionary(g => g, _ => double.NaN, StringComparer.Ordinal), double.NaN, new Dictionary<int, (string, string)>(), new Dictionary<string, double>());

static LoadResult Report(LoadResult result)
{
    var latency = LatencySummary.Of(result.LatenciesMs);
    Console.WriteLine($"  {result.Label,-32} {result.PerSecond,8:0.0}/s  ok {result.Succeeded,7:N0}  failed {result.Failed,5:N0}  p50 {latency.MedianMs,7:0.0} ms  p99 {latency.P99Ms,7:0.0} ms  over {result.Seconds:0.0} s");
    return result;
}

static double Rate(IReadOnlyCollection<LoadResult> results) => results.Sum(r => r.Succeeded) / results.Sum(r => r.Seconds);

static async Task<(PipelineState State, bool Drained)> DrainAsync(Pipeline pipeline, DateTime since, CancellationToken cancellationToken)
{
    var clock = Stopwatch.StartNew();
    // Long enough for the mail server, the slowest stage (smtp4dev: 15-25 ms of CPU a mail), to
    // catch up after a saturation phase: every phase starts with the pipeline empty.
    var (state, drained) = await pipeline.DrainAsync(since, TimeSpan.FromMinutes(10), cancellationToken);
    Console.WriteLine($"  pipeline {(drained ? "drained" : "NOT drained")} after {clock.Elapsed.TotalSeconds:0.0} s: {state.Placed:N0} placed, {state.Paid:N0} paid, {state.Failed:N0} declined, {state.Pending:N0} pending, {state.Emails:N0} mailed, {state.OutboxUnsent:N0} unsent");
    return (state, drained);
}

// The products the checkouts buy: the oldest live ones (the seeded, before any demo catalog),
// with stock that no run can sell out, so every checkout can succeed.
static async Task<IReadOnlyList<Guid>> PrepareProductsAsync(NpgsqlDataSource shopDb, int count, CancellationToken cancellationToken)
{
    var ids = new List<Guid>(count);
    await using (var select = shopDb.CreateCommand("SELECT id FROM products WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT @count"))
    {
        select.Parameters.AddWithValue("count", count);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
    }
    await using (var stock = shopDb.CreateCommand("UPDATE products SET stock = 1000000000 WHERE id = ANY(@ids)"))
    {
        stock.Parameters.AddWithValue("ids", ids.ToArray());
        await stock.ExecuteNonQueryAsync(cancellationToken);
    }
    await using (var analyze = shopDb.CreateCommand("VACUUM (ANALYZE) products"))
    {
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }
    return ids.Count == count ? ids : throw new InvalidOperationException($"Only {ids.Count} products to buy; {count} wanted.");
}

static async Task<long> CountAsync(NpgsqlDataSource shopDb, string sql, string email, CancellationToken cancellationToken)
{
    await using var command = shopDb.CreateCommand(sql);
    command.Parameters.AddWithValue("email", email);
    return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
}

static string CommandLine(int pid)
{
    try
    {
        return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return "";
    }
}

static string RepositoryRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShopAspire.sln")))
            {
                return dir.FullName;
            }
        }
    }
    return Environment.CurrentDirectory;
}
