using System.Diagnostics;
using Shop.IntegrationTests.Async;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.CrashDrills;

/// <summary>
/// kill -9 of a server (the whole process tree DCP started) in the middle of a checkout stream,
/// then the restart an orchestrator would do. Whatever dies: no checkout hangs or answers 500, a
/// retry with the same Idempotency-Key places each order exactly once, every order ends paid
/// with one charge, and the outbox drains, all without a hand on anything but the restart.
/// </summary>
[Collection(FailureStackCollection.Name)]
public sealed class ServerCrashTests(BackendStackFixture stack, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleBudget = TimeSpan.FromMinutes(3);
    // A request that cannot reach Postgres ends at Npgsql's Timeout (15 s: opening a connection or
    // waiting for a pooled one) as a 503, never at the client's 100 s. The servers' endpoints have
    // no DCP proxy in front (DirectEndpoints), so while Postgres is down a connection is refused at once.
    // (A shorter Timeout was tried: 200 checkouts racing for one row then waited longer than
    // that for a pooled connection and got 503s for what is only contention.)
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(20);

    private readonly AsyncProbes _probes = new(stack);

    [Fact]
    public async Task Killing_postgres_during_checkouts_fails_them_fast_with_503_and_retries_place_each_order_once()
    {
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var drill = await CrashDuringCheckoutsAsync("postgres", shopper);

        var failed = drill.Attempts.Where(a => a.Status != "201").ToList();
        Assert.All(failed, a => Assert.Equal("503", a.Status));
        // Checkouts in flight while Postgres was down either waited for it (201 once it was back) or
        // got the 503. The stream waits for each batch, so the batch the kill lands on may hold the
        // stream for the whole outage: what counts is being in flight, not being sent, during it.
        Assert.True(drill.Attempts.Any(a => a.StartedAt < drill.BackAt && a.StartedAt + a.Took > drill.KilledAt), "checkouts must have been in flight while Postgres was down");
        var slowest = drill.Attempts.Max(a => a.Took);
        Assert.True(slowest < FailFast, $"the slowest checkout took {slowest.TotalSeconds:0.0} s");

        var orders = await drill.PlaceEachOnceAsync();
        await AssertEveryOrderPaidOnceAsync(drill, orders);
    }

    [Fact]
    public async Task Killing_rabbitmq_during_checkouts_fails_no_checkout_and_every_order_is_paid_once()
    {
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var drill = await CrashDuringCheckoutsAsync("messaging", shopper);

        Assert.All(drill.Attempts, a => Assert.Equal("201", a.Status));
        await AssertEveryOrderPaidOnceAsync(drill, drill.Placed);
    }

    [Fact]
    public async Task Killing_redis_during_checkouts_fails_no_checkout_and_every_order_is_paid_once()
    {
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var drill = await CrashDuringCheckoutsAsync("cache", shopper);

        Assert.All(drill.Attempts, a => Assert.Equal("201", a.Status));
        await AssertEveryOrderPaidOnceAsync(drill, drill.Placed);
    }

    /// <summary>
    /// ~30 s of checkouts (2 every 250 ms); 5 s in, kill -9 of <paramref name="server"/>; 10 s
    /// later the restart (Aspire's start command), as an orchestrator's restart policy would.
    /// </summary>
    private async Task<Drill> CrashDuringCheckoutsAsync(string server, CheckoutShopper shopper)
    {
        var stream = new OrderStream(shopper, total: 240, batch: 2, TimeSpan.FromMilliseconds(250));
        TimeSpan killedAt, backAt;
        IReadOnlyList<int?> exitCodes;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            killedAt = stream.Elapsed;
            exitCodes = await stack.Shop.Resources.KillAsync(server);
            // The kill itself can take longer than Down on a busy machine: then restart at once.
            var stillDown = Down - (stream.Elapsed - killedAt);
            if (stillDown > TimeSpan.Zero)
            {
                await Task.Delay(stillDown);
            }
        }
        finally
        {
            await stack.Shop.Resources.EnsureRunningAsync(server);
            // The test's own pooled connections died with the server; the services find theirs broken and reconnect.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
        backAt = stream.Elapsed;
        await stream.Completion;
        var attempts = stream.Attempts;
        await stream.DisposeAsync();

        // Time to recover: from the server being healthy again to the first checkout that worked after the crash.
        var firstGoodAfter = attempts.Where(a => a.StartedAt > killedAt && a.Status == "201" && a.StartedAt + a.Took > backAt).Select(a => a.StartedAt + a.Took).DefaultIfEmpty(backAt).Min();
        var drill = new Drill(server, shopper, attempts, killedAt, backAt);
        Report($"{server} killed (exit {string.Join(",", exitCodes)}) {killedAt.TotalSeconds:0.0} s into the stream, healthy again after {(backAt - killedAt).TotalSeconds:0.0} s; " +
               $"checkouts: {string.Join(", ", attempts.GroupBy(a => a.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x {g.Count()}"))}; " +
               $"slowest {attempts.Max(a => a.Took).TotalSeconds:0.00} s; first good checkout {(firstGoodAfter - backAt).TotalSeconds:0.0} s after the restart");
        return drill;
    }

    private async Task AssertEveryOrderPaidOnceAsync(Drill drill, IReadOnlyCollection<Guid> orders)
    {
        var started = Stopwatch.StartNew();
        var settled = await _probes.WaitUntilSettledAsync(orders, SettleBudget);
        var charges = await _probes.ChargesPerOrderAsync(orders);
        await Eventually.GetAsync(async () => await _probes.OutboxBacklogAsync() == 0 ? "" : null, TimeSpan.FromSeconds(60), "the outbox drained");
        var ordersOfCustomer = await OrdersOfCustomerAsync(drill.Shopper.Shop.CustomerId);
        Report($"{drill.Server}: {orders.Count} orders for {drill.Attempts.Count} checkouts, {ordersOfCustomer} in the database; {settled.Paid} paid, " +
               $"{settled.PaymentFailed} failed, {started.Elapsed.TotalSeconds:0} s to settle; max charges per order {charges.Values.DefaultIfEmpty(0).Max()}; outbox drained");
        Assert.Equal(drill.Attempts.Count, orders.Count);
        Assert.Equal(orders.Count, ordersOfCustomer);
        Assert.Equal(orders.Count, settled.Paid);
        Assert.Equal(orders.Count, charges.Count);
        Assert.All(charges.Values, n => Assert.Equal(1, n));
    }


    private async Task<long> OrdersOfCustomerAsync(Guid customerId)
    {
        await using var db = await _probes.OpenShopDbAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM orders WHERE customer_id = $1", db) { Parameters = { new() { Value = customerId } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line); // shows in the CI log even when the test passes
    }

    public void Dispose() => _probes.Dispose();

    /// <summary>What a crash drill saw, and the shopper to retry with.</summary>
    private sealed record Drill(string Server, CheckoutShopper Shopper, IReadOnlyList<CheckoutAttempt> Attempts, TimeSpan KilledAt, TimeSpan BackAt)
    {
        public IReadOnlyCollection<Guid> Placed => [.. Attempts.Where(a => a.OrderId is not null).Select(a => a.OrderId!.Value)];

        /// <summary>
        /// Retries every checkout that did not answer 201 with its own Idempotency-Key, as a
        /// client told "503, retry" does, until it is placed (a key left in flight by the crash
        /// answers 409 until the api gives it up); returns one order per attempt.
        /// </summary>
        public async Task<IReadOnlyCollection<Guid>> PlaceEachOnceAsync()
        {
            var orders = new List<Guid>(Placed);
            foreach (var attempt in Attempts.Where(a => a.OrderId is null))
            {
                var id = await Eventually.GetAsync<Guid?>(async () =>
                {
                    var (status, orderId) = await Shopper.CheckOutAsync(attempt.Key, CancellationToken.None);
                    if (orderId is null && (int)status is not (409 or 503))
                    {
                        throw new InvalidOperationException($"a retry of checkout {attempt.Key} answered {(int)status}");
                    }
                    return orderId;
                }, TimeSpan.FromSeconds(90), $"checkout {attempt.Key} placed by its retry");
                orders.Add(id!.Value);
            }
            return orders;
        }
    }
}
