using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Async;

/// <summary>Each under a steady stream of checkouts: a worker crash, a broker outage, a misbehaving payment provider, a graceful stop.</summary>
[Collection(FailureStackCollection.Name)]
public sealed class FailureTests(BackendStackFixture stack, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan SettleBudget = TimeSpan.FromMinutes(4);
    private readonly AsyncProbes _probes = new(stack);

    [Fact]
    public async Task Killing_the_worker_with_orders_in_flight_loses_none_and_charges_and_mails_each_once()
    {
        var total = FailureStackCollection.Orders;
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var shop = shopper.Shop;
        // A provider a little slower than checkout, so the worker falls behind and a backlog of
        // orders sits in its queues, prefetch buffers and provider calls when it is killed.
        await _probes.SetProviderBehaviourAsync(new { latencyMilliseconds = 500 });
        try
        {
            await using var stream = new OrderStream(shopper, total, batch: Math.Max(total / 20, 1), TimeSpan.FromMilliseconds(200), retryUnavailable: true);

            await Eventually.GetAsync(async () => stream.Placed >= total / 2 && (await _probes.CountStatusesAsync(stream.Orders)).Paid >= total / 5 ? "" : null,
                SettleBudget, "half of the orders placed and a fifth paid");
            var atKill = await _probes.CountStatusesAsync(stream.Orders);
            var exitCodes = await stack.Shop.Resources.KillAsync("worker");
            // DCP reports a killed process as Finished (or Exited) with the signal's exit code.
            Assert.All(stack.Shop.Resources.StatesOf("worker"), state => Assert.Contains(state, Aspire.Hosting.ApplicationModel.KnownResourceStates.TerminalStates));
            Assert.All(exitCodes, code => Assert.NotEqual(0, code));
            await _probes.ResetProviderAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stack.Shop.Resources.StartAsync("worker");
            await stream.Completion;

            var settled = await _probes.WaitUntilSettledAsync(stream.Orders, SettleBudget);
            var charges = await _probes.ChargesPerOrderAsync(stream.Orders);
            var mailWait = Stopwatch.StartNew();
            var mails = await _probes.WaitForMailsAsync(stream.Orders, shop.CustomerEmail, stall: TimeSpan.FromSeconds(90));

            var duplicateMails = mails.Values.Sum(n => n - 1);
            Report($"kill -9 worker: {total} checkouts ({stream.Answers}); at the kill {atKill.Paid} paid, {atKill.Pending} pending (exit codes {string.Join(", ", exitCodes)}); " +
                             $"afterwards {settled.Paid} paid, {charges.Count} orders charged, max charges per order {charges.Values.Max()}, " +
                             $"mails for {mails.Count} orders ({mailWait.Elapsed.TotalSeconds:0} s after all settled), duplicate mails {duplicateMails}");
            Assert.Equal(0, stream.Failures);
            Assert.Equal(total, settled.Paid);
            Assert.Equal(total, charges.Count);
            Assert.All(charges.Values, n => Assert.Equal(1, n));
            // One mail per order. The only duplicate SMTP allows is a mail accepted by the server in
            // the instant before the kill, whose commit was lost: at most one per mail in flight
            // (the email consumer's concurrency, 4), recognisable by its fixed Message-ID.
            Assert.InRange(duplicateMails, 0, 4);
        }
        finally
        {
            await _probes.ResetProviderAsync();
            await stack.Shop.Resources.EnsureRunningAsync("worker");
        }
    }

    [Fact]
    public async Task With_the_broker_down_for_30_seconds_checkout_answers_201_and_every_order_is_processed_afterwards()
    {
        var total = Math.Max(FailureStackCollection.Orders / 4, 50);
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        // total checkouts spread over ~45 s: before, during and after the outage.
        var interval = TimeSpan.FromMilliseconds(500);
        await using var stream = new OrderStream(shopper, total, batch: Math.Max(total / 90, 1), interval, retryUnavailable: true);

        await Task.Delay(TimeSpan.FromSeconds(5));
        var outage = Stopwatch.StartNew();
        await stack.Shop.Resources.StopAsync("messaging");
        int placedDuringOutage;
        long backlog;
        AsyncProbes.StatusCounts pendingDuringOutage;
        try
        {
            var placedAtStop = stream.Placed;
            await Task.Delay(TimeSpan.FromSeconds(30) - outage.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            placedDuringOutage = stream.Placed - placedAtStop;
            backlog = await _probes.OutboxBacklogAsync();
            pendingDuringOutage = await _probes.CountStatusesAsync(stream.Orders);
        }
        finally
        {
            await stack.Shop.Resources.StartAsync("messaging");
        }
        var down = outage.Elapsed;
        await stream.Completion;

        var settled = await _probes.WaitUntilSettledAsync(stream.Orders, SettleBudget);
        var charges = await _probes.ChargesPerOrderAsync(stream.Orders);
        Report($"broker down {down.TotalSeconds:0} s: checkout answers {stream.Answers}; {placedDuringOutage} orders placed while down, outbox backlog before restart {backlog}, " +
                         $"orders pending then {pendingDuringOutage.Pending}; afterwards {settled.Paid}/{total} paid, max charges per order {charges.Values.Max()}");
        Assert.Equal(0, stream.Failures);
        Assert.True(placedDuringOutage > 0, "orders must keep being placed while the broker is down");
        Assert.True(backlog > 0, "the outbox must have buffered the orders placed during the outage");
        Assert.Equal(total, settled.Paid);
        Assert.Equal(total, charges.Count);
        Assert.All(charges.Values, n => Assert.Equal(1, n));
        // The last payments' own events (orders.paid...) may have been written a moment ago.
        await Eventually.GetAsync(async () => await _probes.OutboxBacklogAsync() == 0 ? "" : null, TimeSpan.FromSeconds(30), "the outbox drained");
    }

    [Fact]
    public async Task A_provider_failing_half_the_calls_and_stalling_a_tenth_charges_no_order_twice_and_settles_every_order()
    {
        // Fewer orders than the other scenarios: with half the calls failing, each one costs retries and breaker pauses.
        var total = Math.Max(FailureStackCollection.Orders / 16, 50);
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var openingsBefore = await _probes.WorkerPaymentStatAsync("breakerOpenings");
        await _probes.SetProviderBehaviourAsync(new { failureRate = 0.5, stallRate = 0.1, stallMilliseconds = 3000 });
        try
        {
            var started = Stopwatch.StartNew();
            await using var stream = new OrderStream(shopper, total, batch: Math.Max(total / 20, 1), TimeSpan.FromMilliseconds(250), retryUnavailable: true);
            await stream.Completion;

            var settled = await _probes.WaitUntilSettledAsync(stream.Orders, SettleBudget);
            var elapsed = started.Elapsed;
            var charges = await _probes.ChargesPerOrderAsync(stream.Orders);
            var stats = await _probes.WorkerPaymentStatsAsync();
            var openings = await _probes.WorkerPaymentStatAsync("breakerOpenings") - openingsBefore;
            Report($"provider 50% failures, 10% stalls: {total} orders settled in {elapsed.TotalSeconds:0} s ({settled.Paid} paid, {settled.PaymentFailed} failed), " +
                             $"max charges per order {charges.Values.Max()}, breaker openings {openings}, worker payment stats {stats}");
            Assert.Equal(0, stream.Failures);
            Assert.Equal(total, settled.Settled);
            Assert.All(charges.Values, n => Assert.Equal(1, n));
            Assert.True(openings > 0, "the breaker's openings must show in the payment metrics");
        }
        finally
        {
            await _probes.ResetProviderAsync();
        }
    }

    [Fact]
    public async Task Stopping_the_worker_gracefully_finishes_or_requeues_in_flight_messages()
    {
        var total = Math.Max(FailureStackCollection.Orders / 8, 50);
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        // Slow charges (1.5 s each, under the worker's 2 s attempt timeout; 16 at a time per
        // consumer) keep payments in flight and queued when the stop lands.
        await _probes.SetProviderBehaviourAsync(new { latencyMilliseconds = 1500 });
        try
        {
            var orders = await seeder.PlaceAsync(shop, total);
            await Eventually.GetAsync(async () => (await _probes.CountStatusesAsync(orders)).Paid >= total / 5 ? "" : null, SettleBudget, "a fifth paid");

            await stack.Shop.Resources.StopAsync("worker");

            // The console output reaches the dashboard (and these logs) through DCP a moment after
            // the process has exited: the last lines can arrive after the Finished state does.
            const string drained = "Consumer payments stopped; in-flight messages finished.";
            await Eventually.GetAsync(() => Task.FromResult(stack.Shop.Logs.Tail("worker", 400).Any(l => l.Contains(drained, StringComparison.Ordinal)) ? "" : null),
                TimeSpan.FromSeconds(15), $"'{drained}' in the worker's console log");
            var atStop = await _probes.CountStatusesAsync(orders);
            Assert.True(atStop.Paid < total, $"the stop must land with payments still to do ({atStop.Paid} of {total} were paid)");
            await stack.Shop.Resources.StartAsync("worker");
            await _probes.ResetProviderAsync();

            var settled = await _probes.WaitUntilSettledAsync(orders, SettleBudget);
            var charges = await _probes.ChargesPerOrderAsync(orders);
            Report($"graceful stop: {atStop.Paid} of {total} paid when stopped; afterwards {settled.Paid} paid, max charges per order {charges.Values.Max()}");
            Assert.Equal(total, settled.Paid);
            Assert.All(charges.Values, n => Assert.Equal(1, n));
        }
        finally
        {
            await _probes.ResetProviderAsync();
            await stack.Shop.Resources.EnsureRunningAsync("worker");
        }
    }

    private void Report(string line)
    {
        // A 503 retried is survived, not hidden: the API's own account of it goes in the report.
        var outages = stack.Shop.Logs.Tail("api", 100_000).Where(l => l.Contains("answered 503", StringComparison.Ordinal)).Take(5).ToList();
        if (outages.Count > 0)
        {
            line += $"\napi 503s (first {outages.Count}):\n  " + string.Join("\n  ", outages);
        }
        output.WriteLine(line);
        Console.WriteLine(line); // shows in the CI log even when the test passes
    }


    public void Dispose() => _probes.Dispose();
}
