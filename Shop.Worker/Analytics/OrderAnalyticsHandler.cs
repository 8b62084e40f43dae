using Dapper;
using Shop.Worker.Orders;

namespace Shop.Worker.Analytics;

/// <summary>
/// orders.paid → one more order and its revenue in the minute it was paid (order_analytics_minutes),
/// in one of the minute's 8 rows (by the order id's last byte), so concurrent payments rarely wait
/// on the same row lock.
/// </summary>
public sealed class OrderAnalyticsHandler : IEventHandler<OrderPaid>
{
    public const string Consumer = "analytics";

    public async Task<HandleResult> HandleAsync(OrderPaid paid, MessageContext context, CancellationToken stoppingToken)
    {
        await context.Connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_analytics_minutes (minute, currency, shard, orders, revenue)
            VALUES (date_trunc('minute', @OccurredAt), @Currency, get_byte(uuid_send(@OrderId), 15) & 7, 1, @Total)
            ON CONFLICT (minute, currency, shard) DO UPDATE
            SET orders = order_analytics_minutes.orders + 1, revenue = order_analytics_minutes.revenue + excluded.revenue
            """, new { OccurredAt = paid.OccurredAt.UtcDateTime, paid.Currency, paid.OrderId, paid.Total }, context.Transaction, cancellationToken: stoppingToken));
        return HandleResult.Done;
    }
}
