using Npgsql;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// Measures, does not judge: orders per second from placed to paid at a steady arrival rate, the
/// placed → paid latency, and the outbox lag (written → confirmed by the broker) under that load.
/// Rate and duration: ASYNC_LOAD_RATE (orders/s, default 100) and ASYNC_LOAD_SECONDS (default 5, kept short for the test run).
/// The figures are printed; the only assertion is that every order got paid.
/// </summary>
[Collection(FailureStackCollection.Name)]
public sealed class SteadyLoadMeasurement(BackendStackFixture stack, ITestOutputHelper output) : IDisposable
{
    private readonly AsyncProbes _probes = new(stack);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    [Fact]
    public async Task Orders_flow_from_placed_to_paid_at_a_steady_rate_and_the_figures_are_reported()
    {
        var rate = Setting("ASYNC_LOAD_RATE", 100);
        var seconds = Setting("ASYNC_LOAD_SECONDS", 5);
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var perTick = Math.Max(rate / 10, 1);

        await using var stream = new OrderStream(shopper, rate * seconds, perTick, TimeSpan.FromMilliseconds(100));
        await stream.Completion;
        await _probes.WaitUntilSettledAsync(stream.Orders, TimeSpan.FromMinutes(3));

        await using var db = await _probes.OpenShopDbAsync();
        await using var command = new NpgsqlCommand("""
            WITH flow AS (
                SELECT o.created_at AS placed, s.at AS paid
                FROM orders o JOIN order_status_changes s ON s.order_id = o.id AND s.status = 'paid'
                WHERE o.id = ANY($1)
            ), lag AS (
                SELECT m.routing_key, EXTRACT(EPOCH FROM m.sent_at - m.created_at) AS seconds
                FROM outbox_messages m WHERE (m.payload->>'orderId')::uuid = ANY($1)
            )
            SELECT (SELECT count(*) FROM flow)::int,
                   (SELECT EXTRACT(EPOCH FROM max(placed) - min(placed)) FROM flow)::float8,
                   (SELECT EXTRACT(EPOCH FROM max(paid) - min(placed)) FROM flow)::float8,
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM paid - placed)) FROM flow)::float8,
                   (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM paid - placed)) FROM flow)::float8,
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM lag)::float8,
                   (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) FROM lag)::float8,
                   (SELECT max(seconds) FROM lag)::float8,
                   (SELECT count(*) FROM lag)::int
            """, db) { Parameters = { new() { Value = stream.Orders.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (paid, placingSeconds, flowSeconds) = (reader.GetInt32(0), reader.GetDouble(1), reader.GetDouble(2));
        var report =
            $"steady load: checkout answers {stream.Answers}; {paid} orders offered at {rate}/s over {placingSeconds:0.0} s (achieved {paid / Math.Max(placingSeconds, 0.001):0} placed/s); " +
            $"end to end {paid / flowSeconds:0} orders/s placed→paid (first placed to last paid {flowSeconds:0.0} s); " +
            $"placed→paid latency p50 {reader.GetDouble(3) * 1000:0} ms, p95 {reader.GetDouble(4) * 1000:0} ms; " +
            $"outbox lag over {reader.GetInt32(8)} messages (placed, paid) p50 {reader.GetDouble(5) * 1000:0} ms, " +
            $"p95 {reader.GetDouble(6) * 1000:0} ms, max {reader.GetDouble(7) * 1000:0} ms";
        output.WriteLine(report);
        Console.WriteLine(report);

        Assert.Equal(0, stream.Failures);
        Assert.Equal(rate * seconds, paid);
    }

    public void Dispose() => _probes.Dispose();
}
