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

    private const string CountSql = """
        INSERT INTO order_analytics_minutes (minute, currency, shard, orders, revenue)
        VALUES (date_trunc('minute', $1), $2, get_byte(uuid_send($3), 15) & 7, 1, $4)
        ON CONFLICT (minute, currency, shard) DO UPDATE
        SET orders = order_analytics_minutes.orders + 1, revenue = order_analytics_minutes.revenue + excluded.revenue
        """;

    /// <summary>A write only: it travels with the delivery's commit, one round trip for the whole message.</summary>
    public Task<HandleResult> HandleAsync(OrderPaid paid, MessageContext context, CancellationToken stoppingToken)
    {
        context.WriteOnCommit(new NpgsqlBatchCommand(CountSql)
        {
            Parameters =
            {
                new NpgsqlParameter<DateTime> { TypedValue = paid.OccurredAt.UtcDateTime },
                new NpgsqlParameter<string> { TypedValue = paid.Currency },
                new NpgsqlParameter<Guid> { TypedValue = paid.OrderId },
                new NpgsqlParameter<decimal> { TypedValue = paid.Total },
            },
        });
        return Task.FromResult(HandleResult.Done);
    }
}
