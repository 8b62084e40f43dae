using System.Diagnostics.Metrics;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Async;

/// <summary>Several relays (API replicas) on one outbox: they split the work and never publish a message twice.</summary>
/// <remarks>
/// On the failure drills' stack, which has a minute to spare before the load gate while the shop
/// stack's collection is the suite's longest; it needs no web front end.
/// </remarks>
[Collection(FailureStackCollection.Name)]
public sealed class OutboxRelayTests(BackendStackFixture stack, ITestOutputHelper output) : IDisposable
{
    private readonly AsyncProbes _probes = new(stack);

    [Fact]
    public async Task Two_relays_share_the_outbox_each_message_is_claimed_once_and_every_order_is_paid_once()
    {
        // A second API process in this test process: its relay competes with the stack's "api".
        long publishedHere = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Shop.Api.Outbox" && instrument.Name == "shop.outbox.published")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "messaging.rabbitmq.destination.routing_key", Value: "orders.placed" })
                {
                    Interlocked.Add(ref publishedHere, value);
                }
            }
        });
        listener.Start();
        var listenersBefore = await CountOutboxListenersAsync();
        await using var secondApi = new InProcessApi(stack);
        _ = secondApi.Server; // starts its hosted services, the relay among them
        // Its relay is in the race once its LISTEN connection is up (a fixed wait was too short on a busy CI machine).
        await Eventually.GetAsync(async () => await CountOutboxListenersAsync() > listenersBefore ? "listening" : null,
            TimeSpan.FromMinutes(1), "the second API's outbox relay LISTENs");
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();

        // One commit of 1,000 orders: both relays wake on the same NOTIFY and take batches of 100.
        var orders = await seeder.PlaceAsync(shop, 1000);

        await _probes.WaitUntilSettledAsync(orders, TimeSpan.FromMinutes(2));
        await using var db = await _probes.OpenShopDbAsync();
        // A second attempt is fine after a failed publish (a confirm that timed out on a busy
        // machine; the failure is kept in last_error). One without a failure before it means two
        // relays claimed the same row: the bug SKIP LOCKED rules out.
        await using var command = new NpgsqlCommand("""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE sent_at IS NOT NULL)::int,
                   count(*) FILTER (WHERE attempts > 1)::int,
                   count(*) FILTER (WHERE attempts > 1 AND last_error IS NULL)::int
            FROM outbox_messages WHERE routing_key = 'orders.placed' AND (payload->>'orderId')::uuid = ANY($1)
            """, db) { Parameters = { new() { Value = orders } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        output.WriteLine($"1,000 orders.placed: {reader.GetInt32(1)} sent, {reader.GetInt32(2)} after a failed publish");
        Assert.Equal(1000, reader.GetInt32(0));
        Assert.Equal(1000, reader.GetInt32(1));
        Assert.Equal(0, reader.GetInt32(3)); // no row claimed twice
        Assert.InRange(Interlocked.Read(ref publishedHere), 1, 999); // both relays took part in orders.placed
        Assert.All((await _probes.ChargesPerOrderAsync(orders)).Values, n => Assert.Equal(1, n));
        // Leave the shared stack as found: the thousand mails out before the next test waits for its own.
        await _probes.WaitForIdleMailQueueAsync(TimeSpan.FromMinutes(4));
    }

    private async Task<long> CountOutboxListenersAsync()
    {
        await using var db = await _probes.OpenShopDbAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN outbox_messages' AND pid <> pg_backend_pid()", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _probes.Dispose();
}
