using Dapper;
using Shop.Worker.Orders;

namespace Shop.Worker.Analytics;

/// <summary>orders.paid → one more order and its revenue in the minute it was paid (order_analytics_minutes).</summary>
public sealed class OrderAnalyticsHandler(NpgsqlDataSource dataSource) : IMessageHandler
{
    public const string Consumer = "analytics";

    public async Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken)
    {
        var paid = OrderEvents.TryParse<OrderPaid>(message.Body, OrderPaid.Validate, out var problem);
        if (paid is null)
        {
            return HandleResult.Poison(problem!);
        }
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
        if (!await ProcessedMessages.TryRecordAsync(connection, transaction, Consumer, message.MessageId, stoppingToken))
        {
            return HandleResult.Done;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_analytics_minutes (minute, currency, orders, revenue)
            VALUES (date_trunc('minute', @OccurredAt), @Currency, 1, @Total)
            ON CONFLICT (minute, currency) DO UPDATE
            SET orders = order_analytics_minutes.orders + 1, revenue = order_analytics_minutes.revenue + excluded.revenue
            """, new { OccurredAt = paid.OccurredAt.UtcDateTime, paid.Currency, paid.Total }, transaction, cancellationToken: stoppingToken));
        await transaction.CommitAsync(stoppingToken);
        return HandleResult.Done;
    }
}
