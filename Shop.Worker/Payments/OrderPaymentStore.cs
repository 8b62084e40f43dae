using Dapper;
using Shop.Worker.Orders;

namespace Shop.Worker.Payments;

/// <summary>The order as the payment consumer needs it.</summary>
public sealed record OrderToCharge(Guid Id, Guid CustomerId, string Status, decimal Total, string Currency);

/// <summary>
/// Reads the order to charge and applies the payment's outcome in the delivery's transaction:
/// status, timeline row, payment row, released stock (on a decline) and the events in the outbox,
/// in two round trips.
/// </summary>
public sealed class OrderPaymentStore(TimeProvider clock)
{
    // pending → the new status and its timeline row, in one statement: no row back when the order
    // was no longer pending (a concurrent or earlier outcome won), and nothing written then.
    private const string ChangeStatusSql = """
        WITH changed AS (
            UPDATE orders SET status = $2, updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING id
        )
        INSERT INTO order_status_changes (order_id, status, reason) SELECT id, $2, $3 FROM changed RETURNING at
        """;

    public async Task<OrderToCharge?> FindAsync(MessageContext context, Guid orderId, CancellationToken cancellationToken) =>
        await context.Connection.QuerySingleOrDefaultAsync<OrderToCharge>(new CommandDefinition(
            "SELECT id, customer_id AS CustomerId, status, total, trim(currency) AS currency FROM orders WHERE id = @orderId",
            new { orderId }, context.Transaction, cancellationToken: cancellationToken));

    /// <returns>False when the order is no longer pending (nothing done).</returns>
    public async Task<bool> MarkPaidAsync(MessageContext context, OrderToCharge order, string chargeId, CancellationToken cancellationToken)
    {
        if (await ChangeStatusAsync(context, order.Id, "paid", $"charge {chargeId}", cancellationToken) is not { } at)
        {
            return false;
        }
        var paid = new OrderPaid(Guid.CreateVersion7(), order.Id, order.CustomerId, chargeId, order.Total, order.Currency, clock.GetUtcNow());
        var changed = new OrderStatusChanged(Guid.CreateVersion7(), order.Id, order.CustomerId, "paid", at);
        await using var batch = context.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO order_payments (order_id, outcome, charge_id, amount, currency) VALUES ($1, 'paid', $2, $3, $4)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = order.Id },
                new NpgsqlParameter<string> { TypedValue = chargeId },
                new NpgsqlParameter<decimal> { TypedValue = order.Total },
                new NpgsqlParameter<string> { TypedValue = order.Currency },
            },
        });
        batch.BatchCommands.Add(context.OutboxCommand(paid.EventId, ShopEvents.OrderPaid, paid));
        batch.BatchCommands.Add(context.OutboxCommand(changed.EventId, ShopEvents.OrderStatusChanged, changed));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A permanent decline: payment_failed, and the stock the order reserved goes back on the
    /// shelf. Only orders.status-changed is published: nothing consumes a separate payment-failed event.
    /// </summary>
    public async Task<bool> MarkPaymentFailedAsync(MessageContext context, OrderToCharge order, string reason, CancellationToken cancellationToken)
    {
        if (await ChangeStatusAsync(context, order.Id, "payment_failed", reason, cancellationToken) is not { } at)
        {
            return false;
        }
        var changed = new OrderStatusChanged(Guid.CreateVersion7(), order.Id, order.CustomerId, "payment_failed", at);
        await using var batch = context.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO order_payments (order_id, outcome, amount, currency, reason) VALUES ($1, 'declined', $2, $3, $4)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = order.Id },
                new NpgsqlParameter<decimal> { TypedValue = order.Total },
                new NpgsqlParameter<string> { TypedValue = order.Currency },
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        });
        // Products in id order, so two releases touching the same products cannot deadlock.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE products p SET stock = p.stock + l.quantity, updated_at = now()
            FROM (SELECT product_id, sum(quantity) AS quantity FROM order_lines WHERE order_id = $1 GROUP BY product_id ORDER BY product_id) l
            WHERE p.id = l.product_id
            """)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = order.Id } },
        });
        batch.BatchCommands.Add(context.OutboxCommand(changed.EventId, ShopEvents.OrderStatusChanged, changed));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    private static async Task<DateTimeOffset?> ChangeStatusAsync(MessageContext context, Guid orderId, string status, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ChangeStatusSql, context.Connection, context.Transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = orderId },
                new NpgsqlParameter<string> { TypedValue = status },
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
            : null;
    }
}
