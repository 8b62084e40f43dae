using Dapper;
using Npgsql;
using Shop.Worker.Orders;
using Shop.Worker.Outbox;

namespace Shop.Worker.Payments;

/// <summary>The order as the payment consumer needs it.</summary>
public sealed record OrderToCharge(Guid Id, Guid CustomerId, string Status, decimal Total, string Currency);

/// <summary>
/// Applies a payment's outcome to the order in one transaction: idempotency record, status,
/// timeline row, payment row, released stock (on a decline) and the events in the outbox.
/// </summary>
public sealed class OrderPaymentStore(NpgsqlDataSource dataSource, OutboxWriter outbox, TimeProvider clock)
{
    public const string Consumer = "payments";

    public async Task<OrderToCharge?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrderToCharge>(new CommandDefinition(
            "SELECT id, customer_id AS CustomerId, status, total, trim(currency) AS currency FROM orders WHERE id = @orderId",
            new { orderId }, cancellationToken: cancellationToken));
    }

    /// <returns>False when the message was processed before or the order is no longer pending (nothing done).</returns>
    public async Task<bool> MarkPaidAsync(string messageId, OrderToCharge order, string chargeId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ProcessedMessages.TryRecordAsync(connection, transaction, Consumer, messageId, cancellationToken))
        {
            return false;
        }
        var at = await ChangeStatusAsync(connection, transaction, order.Id, "paid", $"charge {chargeId}", cancellationToken);
        if (at is null)
        {
            await transaction.CommitAsync(cancellationToken); // keep the idempotency record
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO order_payments (order_id, outcome, charge_id, amount, currency) VALUES (@Id, 'paid', @chargeId, @Total, @Currency)",
            new { order.Id, chargeId, order.Total, order.Currency }, transaction, cancellationToken: cancellationToken));
        var now = clock.GetUtcNow();
        var paid = new OrderPaid(Guid.CreateVersion7(), order.Id, order.CustomerId, chargeId, order.Total, order.Currency, now);
        await outbox.AddAsync(connection, transaction, paid.EventId, OrderEvents.Paid, paid, cancellationToken);
        var changed = new OrderStatusChanged(Guid.CreateVersion7(), order.Id, order.CustomerId, "paid", at.Value);
        await outbox.AddAsync(connection, transaction, changed.EventId, OrderEvents.StatusChanged, changed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A permanent decline: payment_failed, and the stock the order reserved goes back on the shelf.</summary>
    public async Task<bool> MarkPaymentFailedAsync(string messageId, OrderToCharge order, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ProcessedMessages.TryRecordAsync(connection, transaction, Consumer, messageId, cancellationToken))
        {
            return false;
        }
        var at = await ChangeStatusAsync(connection, transaction, order.Id, "payment_failed", reason, cancellationToken);
        if (at is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO order_payments (order_id, outcome, amount, currency, reason) VALUES (@Id, 'declined', @Total, @Currency, @reason)",
            new { order.Id, order.Total, order.Currency, reason }, transaction, cancellationToken: cancellationToken));
        // Products in id order, so two releases touching the same products cannot deadlock.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE products p SET stock = p.stock + l.quantity, updated_at = now()
            FROM (SELECT product_id, sum(quantity) AS quantity FROM order_lines WHERE order_id = @Id GROUP BY product_id ORDER BY product_id) l
            WHERE p.id = l.product_id
            """, new { order.Id }, transaction, cancellationToken: cancellationToken));
        var now = clock.GetUtcNow();
        var failed = new OrderPaymentFailed(Guid.CreateVersion7(), order.Id, order.CustomerId, reason, now);
        await outbox.AddAsync(connection, transaction, failed.EventId, OrderEvents.PaymentFailed, failed, cancellationToken);
        var changed = new OrderStatusChanged(Guid.CreateVersion7(), order.Id, order.CustomerId, "payment_failed", at.Value);
        await outbox.AddAsync(connection, transaction, changed.EventId, OrderEvents.StatusChanged, changed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>pending → <paramref name="status"/> plus its timeline row; null when the order was not pending.</summary>
    private static async Task<DateTimeOffset?> ChangeStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId, string status, string reason, CancellationToken cancellationToken)
    {
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = @status, updated_at = now() WHERE id = @orderId AND status = 'pending'",
            new { orderId, status }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return null;
        }
        var at = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            "INSERT INTO order_status_changes (order_id, status, reason) VALUES (@orderId, @status, @reason) RETURNING at",
            new { orderId, status, reason }, transaction, cancellationToken: cancellationToken));
        return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
    }
}
