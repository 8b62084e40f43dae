using Shop.Worker.Orders;

namespace Shop.Worker.Payments;

/// <summary>The order as the payment consumer needs it.</summary>
public sealed record OrderToCharge(Guid Id, Guid CustomerId, string Status, decimal Total, string Currency);

/// <summary>
/// Reads the order to charge and applies the payment's outcome in the delivery's transaction:
/// status, timeline row, payment row, released stock (on a decline) and the events in the outbox.
/// Two round trips a payment: the read (with the delivery's BEGIN and processed record), and the
/// writes with the commit.
/// </summary>
public sealed class OrderPaymentStore(TimeProvider clock)
{
    // FOR UPDATE: the order stays as read until the outcome commits, so the writes below need no
    // "still pending?" check (only this consumer changes an order's status; a second delivery of
    // the message waits on the processed record before it gets here).
    private const string FindSql = "SELECT id, customer_id, status, total, trim(currency) FROM orders WHERE id = $1 FOR UPDATE";

    public async Task<OrderToCharge?> FindAsync(MessageContext context, Guid orderId, CancellationToken cancellationToken)
    {
        await using var batch = context.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(FindSql) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = orderId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new OrderToCharge(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3), reader.GetString(4))
            : null;
    }

    /// <summary>Paid: written with the delivery's commit.</summary>
    public void MarkPaid(MessageContext context, OrderToCharge order, string chargeId)
    {
        var at = ChangeStatus(context, order.Id, "paid", $"charge {chargeId}");
        context.WriteOnCommit(new NpgsqlBatchCommand("INSERT INTO order_payments (order_id, outcome, charge_id, amount, currency) VALUES ($1, 'paid', $2, $3, $4)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = order.Id },
                new NpgsqlParameter<string> { TypedValue = chargeId },
                new NpgsqlParameter<decimal> { TypedValue = order.Total },
                new NpgsqlParameter<string> { TypedValue = order.Currency },
            },
        });
        // The payment's one event: the storefront reads orders.paid as the status change too, so a
        // second outbox row, publish and delivery per order (orders.status-changed "paid") is not written.
        var paid = new OrderPaid(Guid.CreateVersion7(), order.Id, order.CustomerId, chargeId, order.Total, order.Currency, at);
        context.PublishOnCommit(paid.EventId, ShopEvents.OrderPaid, paid);
    }

    /// <summary>
    /// A permanent decline: payment_failed, and the stock the order reserved goes back on the
    /// shelf; written with the delivery's commit. Only orders.status-changed is published: nothing
    /// consumes a separate payment-failed event.
    /// </summary>
    public void MarkPaymentFailed(MessageContext context, OrderToCharge order, string reason)
    {
        var at = ChangeStatus(context, order.Id, "payment_failed", reason);
        context.WriteOnCommit(new NpgsqlBatchCommand("INSERT INTO order_payments (order_id, outcome, amount, currency, reason) VALUES ($1, 'declined', $2, $3, $4)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = order.Id },
                new NpgsqlParameter<decimal> { TypedValue = order.Total },
                new NpgsqlParameter<string> { TypedValue = order.Currency },
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        });
        // The rows locked in id order first, as checkout's take locks them (an UPDATE alone locks
        // in whatever order its plan visits the rows), so a release and a multi-line checkout
        // touching the same products never wait on each other in a cycle.
        context.WriteOnCommit(new NpgsqlBatchCommand("""
            WITH lines AS (
                SELECT product_id, sum(quantity) AS quantity FROM order_lines WHERE order_id = $1 GROUP BY product_id
            ), locked AS MATERIALIZED (
                SELECT p.id FROM products p JOIN lines l ON l.product_id = p.id ORDER BY p.id FOR NO KEY UPDATE OF p
            )
            UPDATE products p SET stock = p.stock + l.quantity, updated_at = now()
            FROM lines l JOIN locked k ON k.id = l.product_id
            WHERE p.id = l.product_id
            """)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = order.Id } },
        });
        var changed = new OrderStatusChanged(Guid.CreateVersion7(), order.Id, order.CustomerId, "payment_failed", at);
        context.PublishOnCommit(changed.EventId, ShopEvents.OrderStatusChanged, changed);
    }

    /// <summary>The order's new status and its timeline row, stamped with one clock reading (the events carry it too).</summary>
    private DateTimeOffset ChangeStatus(MessageContext context, Guid orderId, string status, string reason)
    {
        // To microseconds, as Postgres keeps it: the events say exactly what the timeline says.
        var now = clock.GetUtcNow().UtcDateTime;
        var at = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        context.WriteOnCommit(new NpgsqlBatchCommand("UPDATE orders SET status = $2, updated_at = $3 WHERE id = $1")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = orderId },
                new NpgsqlParameter<string> { TypedValue = status },
                new NpgsqlParameter<DateTime> { TypedValue = at },
            },
        });
        context.WriteOnCommit(new NpgsqlBatchCommand("INSERT INTO order_status_changes (order_id, status, at, reason) VALUES ($1, $2, $3, $4)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = orderId },
                new NpgsqlParameter<string> { TypedValue = status },
                new NpgsqlParameter<DateTime> { TypedValue = at },
                new NpgsqlParameter<string> { TypedValue = reason },
            },
        });
        return new DateTimeOffset(at);
    }
}
