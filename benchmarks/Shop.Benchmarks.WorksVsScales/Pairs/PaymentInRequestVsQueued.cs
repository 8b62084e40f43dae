using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Measuring;
using Shop.Benchmarks.WorksVsScales.Reporting;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// A checkout that charges the card inside its transaction vs one that writes an outbox message
/// in the same transaction and returns (the shop's way: Shop.Api/Orders/OrderPlacement with
/// Shop.Api/Outbox; the worker charges later). With the payment inside, the request waits for
/// the provider, and so do the products' row locks and the pooled connection: every other
/// checkout of a best seller queues behind them. Measured as latency one at a time, then as
/// throughput with a fixed number of checkouts in flight.
/// </summary>
/// <remarks>
/// The outbox rows go to bench_outbox_messages, a copy of outbox_messages: the running API's
/// relay publishes what lands in the real one, and a worker would then charge these orders.
/// </remarks>
public sealed class PaymentInRequestVsQueued(BenchContext context) : IComparison
{
    public const string Key = "payment_in_request_vs_queued";
    private const string Outbox = "bench_outbox_messages";

    private const string InsertOutboxMessage = $"""
        INSERT INTO {Outbox} (id, routing_key, message_type, payload)
        VALUES (@id, 'orders.placed', 'OrderPlaced', @payload::jsonb)
        """;

    private readonly FakePaymentProvider _provider = new();

    public async Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken)
    {
        await CreateOutboxCopyAsync(cancellationToken);
        var options = context.Options;
        var customerId = data.Customers[1];
        // Each checkout buys one of the best sellers and one other product, as real baskets do.
        var random = new Random(4);
        var baskets = Enumerable.Range(0, 4096).Select(i => new[]
        {
            data.HotProducts[i % data.HotProducts.Count],
            data.ProductIds[data.HotProducts.Count + random.Next(data.ProductIds.Count - data.HotProducts.Count)],
        }).ToArray();
        Guid[] BasketOf(int round) => baskets[round % baskets.Length];

        async Task PaymentInsideAsync(int round)
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var order = await CheckoutTransaction.PlaceAsync(connection, transaction, customerId, BasketOf(round), cancellationToken);
            try
            {
                var chargeId = await _provider.ChargeAsync(order.Total, cancellationToken);
                await CheckoutTransaction.SetStatusAsync(connection, transaction, order.Id, "paid", $"charge {chargeId}", cancellationToken);
            }
            catch (TimeoutException ex)
            {
                await CheckoutTransaction.SetStatusAsync(connection, transaction, order.Id, "payment_failed", ex.Message, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        async Task QueuedAsync(int round)
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var order = await CheckoutTransaction.PlaceAsync(connection, transaction, customerId, BasketOf(round), cancellationToken);
            await AddOutboxMessageAsync(connection, transaction, order, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var inside = new Side("payment inside", PaymentInsideAsync);
        var queued = new Side("queued", QueuedAsync);
        var latency = await SideBySide.MeasureAsync(options.WarmupRounds, options.Rounds, inside, queued);
        var throughput = await FixedConcurrency.MeasureAsync(options.Concurrency, options.ThroughputPhase, phasesPerSide: 2, inside, queued);

        string Rate(double perSecond) => perSecond.ToString("0.0", CultureInfo.InvariantCulture);
        return
        [
            new PairResult(Key, Key, "Payment in the request vs queued", data.Orders,
                "payment inside the transaction", latency[0], "outbox row, charged later", latency[1],
                [
                    new Figure($"throughput_naive_per_s_at_{options.Concurrency}", Rate(throughput[0])),
                    new Figure($"throughput_scalable_per_s_at_{options.Concurrency}", Rate(throughput[1])),
                    new Figure("throughput_ratio", Rate(throughput[1] / throughput[0])),
                ]),
        ];
    }

    private static Task AddOutboxMessageAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PlacedOrder order, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new { orderId = order.Id, customerId = order.CustomerId, total = order.Total, currency = "EUR" });
        return connection.ExecuteAsync(new CommandDefinition(InsertOutboxMessage,
            new { id = Guid.CreateVersion7(), payload }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Same columns, defaults and indexes as outbox_messages; LIKE copies no trigger, so nothing is notified.</summary>
    private async Task CreateOutboxCopyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            CREATE TABLE IF NOT EXISTS {Outbox} (LIKE outbox_messages INCLUDING ALL);
            TRUNCATE {Outbox};
            """, cancellationToken: cancellationToken));
    }
}
