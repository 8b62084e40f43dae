using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>An order's way through outbox, RabbitMQ, worker, provider, mail and analytics; idempotency and dead letters.</summary>
[Collection(ShopStackCollection.Name)]
public sealed class OrderFlowTests(ShopStackFixture stack, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private readonly AsyncProbes _probes = new(stack);

    /// <summary>
    /// Most of these tests wait for their own mail (and one measures how fast mail flows), so
    /// each starts once earlier tests' mails are out.
    /// </summary>
    public Task InitializeAsync() => _probes.WaitForIdleMailQueueAsync(TimeSpan.FromMinutes(4));

    public Task DisposeAsync()
    {
        _probes.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_placed_order_is_charged_once_paid_mailed_counted_and_has_a_timeline()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync(price: 21.30m);

        var orderId = (await seeder.PlaceAsync(shop, 1, quantity: 2)).Single();

        var counts = await _probes.WaitUntilSettledAsync([orderId], Budget);
        Assert.Equal(1, counts.Paid);
        await using var db = await _probes.OpenShopDbAsync();
        var timeline = await ReadTimelineAsync(db, orderId);
        Assert.Equal(["pending", "paid"], timeline.Select(t => t.Status));
        Assert.True(timeline[1].At >= timeline[0].At);
        Assert.StartsWith("charge ch_", timeline[1].Reason);
        Assert.Equal(1, (await _probes.ChargesPerOrderAsync([orderId]))[orderId]);

        // The worker's events left through the outbox, in the trace of the order's placement. They
        // are written with the payment and sent by the relay a moment later: wait for the relay.
        // orders.paid is the payment's only event: the storefront reads it as the status change.
        string[] expected = ["orders.paid", "orders.placed"];
        var events = await Eventually.GetAsync(async () =>
        {
            var sent = await ScalarListAsync(db, "SELECT routing_key FROM outbox_messages WHERE payload->>'orderId' = $1 AND sent_at IS NOT NULL ORDER BY routing_key", orderId.ToString());
            return sent.Count >= expected.Length ? sent : null;
        }, Budget, "the order's two events sent by the outbox relay");
        Assert.Equal(expected, events);

        var mails = await Eventually.GetAsync(async () =>
        {
            var perOrder = await _probes.MailsPerOrderAsync([orderId], shop.CustomerEmail);
            return perOrder.Count == 1 ? perOrder : null;
        }, Budget, "the confirmation mail reached the mail server");
        Assert.Equal(1, mails[orderId]);
        var mail = Assert.Single(await _probes.Mail.ListAsync(shop.CustomerEmail));
        Assert.Equal($"Your ShopAspire order {orderId} is confirmed", mail.Subject);
        Assert.Equal("orders@shopaspire.local", mail.From);
        Assert.Contains("payment of 42.60 EUR", await _probes.Mail.PlainTextAsync(mail.Id), StringComparison.Ordinal);

        using var admin = await stack.CreateAdminClientAsync();
        var minutes = await Eventually.GetAsync(async () =>
        {
            var rows = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/analytics/orders-per-minute?minutes=10");
            return rows.EnumerateArray().Any(r => r.GetProperty("revenue").GetDecimal() >= 42.60m) ? (JsonElement?)rows : null;
        }, Budget, "analytics counted the paid order");
        Assert.NotEmpty(minutes!.Value.EnumerateArray());
    }

    [Fact]
    public async Task A_real_checkout_ends_paid_and_the_order_shows_its_timeline()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync(price: 9.99m, stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { lines = new[] { new { productId = shop.ProductId, quantity = 2 } } }),
        };
        checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var created = await customer.Http.SendAsync(checkout);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var orderId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var order = await Eventually.GetAsync(async () =>
        {
            var current = await customer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
            return current.GetProperty("status").GetString() == "paid" ? (JsonElement?)current : null;
        }, Budget, "the order became paid");
        var timeline = order!.Value.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.Equal(["pending", "paid"], timeline.Select(t => t.GetProperty("status").GetString()));
        Assert.StartsWith("charge ch_", timeline[1].GetProperty("reason").GetString());
        Assert.Equal(1, (await _probes.ChargesPerOrderAsync([orderId]))[orderId]);
        await Eventually.GetAsync(async () => (await _probes.MailsPerOrderAsync([orderId], customer.Email, pollingForNew: true)).Count == 1 ? "" : null, Budget, "the confirmation mail");
    }

    [Fact]
    public async Task A_declined_payment_fails_the_order_and_puts_its_stock_back()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync(price: 13.13m, stock: 100);
        await _probes.SetProviderBehaviourAsync(new { declineAmounts = new[] { 39.39m } });
        try
        {
            var orderId = (await seeder.PlaceAsync(shop, 1, quantity: 3)).Single();

            var counts = await _probes.WaitUntilSettledAsync([orderId], Budget);

            Assert.Equal(1, counts.PaymentFailed);
            await using var db = await _probes.OpenShopDbAsync();
            await using var stock = new NpgsqlCommand("SELECT stock FROM products WHERE id = $1", db) { Parameters = { new() { Value = shop.ProductId } } };
            Assert.Equal(100, (int)(await stock.ExecuteScalarAsync())!);
            var timeline = await ReadTimelineAsync(db, orderId);
            Assert.Equal(["pending", "payment_failed"], timeline.Select(t => t.Status));
            Assert.Equal("insufficient_funds", timeline[1].Reason);
            var events = await ScalarListAsync(db, "SELECT routing_key FROM outbox_messages WHERE payload->>'orderId' = $1 ORDER BY routing_key", orderId.ToString());
            // No orders.payment-failed: nothing consumes it; the storefront follows orders.status-changed.
            Assert.Equal(["orders.placed", "orders.status-changed"], events);
        }
        finally
        {
            await _probes.ResetProviderAsync();
        }
    }

    [Fact]
    public async Task A_redelivered_or_duplicated_order_placed_message_charges_and_mails_only_once()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        var orderId = (await seeder.PlaceAsync(shop, 1, withOutboxMessage: false)).Single();
        var eventId = Guid.CreateVersion7();
        var body = AsyncProbes.Json(new { eventId, orderId, customerId = shop.CustomerId, total = shop.Price, currency = "EUR", occurredAt = DateTimeOffset.UtcNow });

        // The same message three times (redelivery), and the same order under another message id
        // (a producer that published twice).
        await Task.WhenAll(
            _probes.PublishAsync("orders.placed", eventId.ToString(), body),
            _probes.PublishAsync("orders.placed", eventId.ToString(), body),
            _probes.PublishAsync("orders.placed", eventId.ToString(), body),
            _probes.PublishAsync("orders.placed", Guid.CreateVersion7().ToString(), body));

        await _probes.WaitUntilSettledAsync([orderId], Budget);
        await Eventually.GetAsync(async () => (await _probes.MailsPerOrderAsync([orderId], shop.CustomerEmail, pollingForNew: true)).Count == 1 ? "" : null, Budget, "the mail");
        await Task.Delay(TimeSpan.FromSeconds(2)); // let any duplicate finish, if there were one
        Assert.Equal(1, (await _probes.ChargesPerOrderAsync([orderId]))[orderId]);
        Assert.Equal(1, (await _probes.MailsPerOrderAsync([orderId], shop.CustomerEmail))[orderId]);
        await using var db = await _probes.OpenShopDbAsync();
        Assert.Equal(["pending", "paid"], (await ReadTimelineAsync(db, orderId)).Select(t => t.Status));
        Assert.Single(await ScalarListAsync(db, "SELECT routing_key FROM outbox_messages WHERE payload->>'orderId' = $1 AND routing_key = 'orders.paid'", orderId.ToString()));
    }

    [Fact]
    public async Task Poison_messages_are_dead_lettered_with_the_reason_others_flow_on_and_a_replay_processes_them()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        var garbageId = Guid.CreateVersion7().ToString();
        var lateOrderId = Guid.CreateVersion7();
        var lateEventId = Guid.CreateVersion7().ToString();

        // Undeserializable, and one about an order that does not exist (yet).
        await _probes.PublishAsync("orders.placed", garbageId, "{\"orderId\": 42, oops"u8.ToArray());
        await _probes.PublishAsync("orders.placed", lateEventId, AsyncProbes.Json(new
        {
            eventId = lateEventId, orderId = lateOrderId, customerId = shop.CustomerId, total = shop.Price, currency = "EUR", occurredAt = DateTimeOffset.UtcNow,
        }));
        var flowing = await seeder.PlaceAsync(shop, 5);

        await _probes.WaitUntilSettledAsync(flowing, Budget);
        var letters = await Eventually.GetAsync(async () =>
        {
            var list = await _probes.Worker.GetFromJsonAsync<JsonElement>("/api/v1/admin/dead-letters?consumer=payments");
            var ours = list.EnumerateArray().Where(l => l.GetProperty("messageId").GetString() is { } id && (id == garbageId || id == lateEventId)).ToArray();
            return ours.Length == 2 ? ours : null;
        }, Budget, "both poison messages in the payments dead-letter queue");
        Assert.Contains("not a OrderPlaced", letters.Single(l => l.GetProperty("messageId").GetString() == garbageId).GetProperty("reason").GetString());
        Assert.Contains("does not exist", letters.Single(l => l.GetProperty("messageId").GetString() == lateEventId).GetProperty("reason").GetString());
        Assert.Equal("orders.placed", letters[0].GetProperty("routingKey").GetString());

        // The order turns up (say, a replica caught up); replaying the dead letter now pays it.
        await using (var db = await _probes.OpenShopDbAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO orders (id, customer_id, status, total, currency) VALUES ($1, $2, 'pending', $3, 'EUR')", db)
            {
                Parameters = { new() { Value = lateOrderId }, new() { Value = shop.CustomerId }, new() { Value = shop.Price } },
            };
            await insert.ExecuteNonQueryAsync();
        }
        using var replay = await _probes.Worker.PostAsync($"/api/v1/admin/dead-letters/payments/replay?messageId={lateEventId}", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());

        Assert.Equal(1, (await _probes.WaitUntilSettledAsync([lateOrderId], Budget)).Paid);
        var remaining = await _probes.Worker.GetFromJsonAsync<JsonElement>("/api/v1/admin/dead-letters?consumer=payments");
        Assert.Contains(remaining.EnumerateArray(), l => l.GetProperty("messageId").GetString() == garbageId);
        Assert.DoesNotContain(remaining.EnumerateArray(), l => l.GetProperty("messageId").GetString() == lateEventId);
    }

    [Fact]
    public async Task A_slow_payment_provider_does_not_slow_confirmation_mails()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        // Already paid orders whose orders.paid events we publish, and new orders that must be charged.
        var paidOrders = await seeder.PlaceAsync(shop, 20, withOutboxMessage: false);
        await _probes.SetProviderBehaviourAsync(new { latencyMilliseconds = 1500 });
        Guid[] slowOrders = [];
        try
        {
            // 1,600 charges of 1.5 s; 2 worker replicas charge 16 at a time each: about 75 s of
            // payment work queued ahead of the mails, longer than the mails may take. Another
            // customer's, so their own mails do not crowd the inbox the test reads.
            slowOrders = await seeder.PlaceAsync(await seeder.CreateShopAsync(), 1600);
            await Eventually.GetAsync(async () => (await _probes.CountStatusesAsync(slowOrders)).Paid > 0 ? "" : null, Budget, "payments started");

            await Task.WhenAll(paidOrders.Select(orderId =>
            {
                var eventId = Guid.CreateVersion7();
                return _probes.PublishAsync("orders.paid", eventId.ToString(), AsyncProbes.Json(new
                {
                    eventId, orderId, customerId = shop.CustomerId, chargeId = "ch_test", total = shop.Price, currency = "EUR", occurredAt = DateTimeOffset.UtcNow,
                }));
            }));
            try
            {
                await Eventually.GetAsync(async () => (await _probes.MailsPerOrderAsync(paidOrders, shop.CustomerEmail, pollingForNew: true)).Count == paidOrders.Length ? "" : null,
                    Budget, "every confirmation mail");
            }
            catch (TimeoutException)
            {
                var seen = (await _probes.MailsPerOrderAsync(paidOrders, shop.CustomerEmail)).Count;
                output.WriteLine($"{seen} of {paidOrders.Length} mails, {await _probes.ReadyMessagesAsync("worker.email")} messages waiting in worker.email; the mail server's and the worker's last mail lines:");
                foreach (var line in stack.Shop.Logs.Tail("mail", 60).Concat(stack.Shop.Logs.Tail("worker", 2000).Where(l => l.Contains("mail", StringComparison.OrdinalIgnoreCase)).TakeLast(60)))
                {
                    output.WriteLine(line);
                }
                throw;
            }

            // Had the mails queued behind the payments published before them, every payment would
            // be done by now: some still waiting proves the mails overtook them.
            var payments = await _probes.CountStatusesAsync(slowOrders);
            Assert.True(payments.Pending > 0, $"mails should not wait for payments, yet all {slowOrders.Length} payments were done first");
        }
        finally
        {
            // Whatever happened above, the next test must not find 1,600 slow payments ahead of its own.
            await _probes.ResetProviderAsync();
            await _probes.WaitUntilSettledAsync(slowOrders, Budget);
        }
    }

    [Fact]
    public async Task One_trace_runs_from_the_order_through_outbox_broker_and_worker_to_the_provider_call()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var checkoutSpan = System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString();

        var orderId = (await seeder.PlaceAsync(shop, 1, traceParent: $"00-{traceId}-{checkoutSpan}-01")).Single();

        await _probes.WaitUntilSettledAsync([orderId], Budget);
        await using var db = await _probes.OpenShopDbAsync();
        var paidTrace = await ScalarListAsync(db, "SELECT traceparent FROM outbox_messages WHERE payload->>'orderId' = $1 AND routing_key = 'orders.paid'", orderId.ToString());
        Assert.Contains(traceId, Assert.Single(paidTrace));
        Assert.DoesNotContain(checkoutSpan, paidTrace[0]); // a child span (the worker's), not a copy
        await using var payments = new NpgsqlConnection(await stack.ConnectionStringAsync("paymentsdb"));
        await payments.OpenAsync();
        var chargeTrace = await ScalarListAsync(payments, "SELECT trace_parent FROM charges WHERE reference = $1", orderId.ToString());
        Assert.Contains(traceId, Assert.Single(chargeTrace));

        // The worker's "smtp send" span travels in the mail itself (SMTP has no other place for
        // it): the mail server shows it among the headers, so a mail leads to its trace.
        var sent = await Eventually.GetAsync(async () => (await _probes.Mail.ListAsync(shop.CustomerEmail)).SingleOrDefault(), Budget, "the confirmation mail");
        var mailTrace = (await _probes.Mail.GetAsync(sent.Id)).Header("traceparent");
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-0[01]$", mailTrace);
    }

    /// <summary>
    /// smtp4dev keeps its mail in a database file in the resource's data folder: a restart of the
    /// resource (the dashboard's stop and start) loses none. Skipped with the next test: after the
    /// restart smtp4dev stops storing new mail, and the shared stack's later mail tests fail.
    /// </summary>
    [Fact]
    public async Task Mail_outlives_a_restart_of_the_mail_server()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        var before = (await seeder.PlaceAsync(shop, 1)).Single();
        await Eventually.GetAsync(async () => (await _probes.MailsPerOrderAsync([before], shop.CustomerEmail, pollingForNew: true)).Count == 1 ? "" : null, Budget, "the mail before the restart");
        try
        {
            await stack.Shop.Resources.StopAsync("mail");
            await stack.Shop.Resources.StartAsync("mail");

            using var afterRestart = stack.Shop.CreateMailClient(); // nothing cached from before
            var kept = Assert.Single(await afterRestart.ListAsync(shop.CustomerEmail));
            Assert.Equal($"order-{before:N}.confirmation@shopaspire.local", (await afterRestart.GetAsync(kept.Id)).MessageId);
        }
        finally
        {
            await stack.Shop.Resources.EnsureRunningAsync("mail");
        }
    }

    /// <summary>
    /// Known bug, open: after smtp4dev is restarted, every send is answered "250 Mail accepted"
    /// and then the connection drops (MailKit: "The SMTP server has unexpectedly disconnected"),
    /// the mail is not stored, and the email consumer retries and dead-letters it. Seen under
    /// the testing builder; not yet understood (not an orphaned process: SIGTERM to
    /// `dotnet tool run` stops smtp4dev). Kept here, skipped, so the fix has its test waiting.
    /// </summary>
    [Fact]
    public async Task Mail_flows_again_after_a_restart_of_the_mail_server()
    {
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();
        try
        {
            await stack.Shop.Resources.StopAsync("mail");
            await stack.Shop.Resources.StartAsync("mail");
            var after = (await seeder.PlaceAsync(shop, 1)).Single();
            var mails = await Eventually.GetAsync(async () =>
            {
                var perOrder = await _probes.MailsPerOrderAsync([after], shop.CustomerEmail, pollingForNew: true);
                return perOrder.Count == 1 ? perOrder : null;
            }, Budget, "the mail after the restart");
            Assert.All(mails.Values, n => Assert.Equal(1, n));
        }
        finally
        {
            await stack.Shop.Resources.EnsureRunningAsync("mail");
        }
    }

    private sealed record TimelineEntry(string Status, DateTime At, string? Reason);

    private static async Task<List<TimelineEntry>> ReadTimelineAsync(NpgsqlConnection db, Guid orderId)
    {
        await using var command = new NpgsqlCommand("SELECT status, at, reason FROM order_status_changes WHERE order_id = $1 ORDER BY at", db)
        {
            Parameters = { new() { Value = orderId } },
        };
        var entries = new List<TimelineEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new TimelineEntry(reader.GetString(0), reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return entries;
    }

    private static async Task<List<string>> ScalarListAsync(NpgsqlConnection db, string sql, string parameter)
    {
        await using var command = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = parameter } } };
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
