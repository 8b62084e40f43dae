using System.Diagnostics.Metrics;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>Several relays (API replicas) on one outbox: they split the work and never publish a message twice.</summary>
[Collection(ShopStackCollection.Name)]
public sealed class OutboxRelayTests(ShopStackFixture stack) : IDisposable
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
        await using var secondApi = new InProcessApi(stack);
        _ = secondApi.Server; // starts its hosted services, the relay among them
        await Task.Delay(TimeSpan.FromSeconds(2)); // its LISTEN is up
        var seeder = await _probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();

        // One commit of 1,000 orders: both relays wake on the same NOTIFY and take batches of 100.
        var orders = await seeder.PlaceAsync(shop, 1000);

        await _probes.WaitUntilSettledAsync(orders, TimeSpan.FromMinutes(2));
        await using var db = await _probes.OpenShopDbAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*)::int, count(*) FILTER (WHERE attempts = 1 AND sent_at IS NOT NULL)::int
            FROM outbox_messages WHERE routing_key = 'orders.placed' AND (payload->>'orderId')::uuid = ANY($1)
            """, db) { Parameters = { new() { Value = orders } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(1000, reader.GetInt32(0));
        Assert.Equal(1000, reader.GetInt32(1)); // claimed and published exactly once each
        Assert.InRange(Interlocked.Read(ref publishedHere), 1, 999); // both relays took part in orders.placed
        Assert.All((await _probes.ChargesPerOrderAsync(orders)).Values, n => Assert.Equal(1, n));
    }

    public void Dispose() => _probes.Dispose();
}
