using Dapper;
using Npgsql;

namespace Shop.Api.Orders;

/// <summary>The outcome of a checkout: an order, or why none was written.</summary>
public abstract record PlacementResult
{
    /// <param name="KeyCompleted">Whether the idempotency record was completed in the order's transaction.</param>
    public sealed record Placed(OrderDto Order, bool KeyCompleted = false) : PlacementResult;

    /// <summary>Lines whose product is unknown or deleted (or in another currency), keyed by field name.</summary>
    public sealed record InvalidLines(Dictionary<string, string[]> Errors) : PlacementResult;

    public sealed record OutOfStock(int LineIndex, Guid ProductId, string ProductName, int Requested, int Available) : PlacementResult;
}

/// <summary>
/// Turns requested lines into an order in ONE transaction of three round trips: lock the products
/// (and check them); take the stock and write the order, its lines, its first status, the
/// orders.placed outbox message and the request's idempotency record in one batch; commit.
/// </summary>
public sealed partial class OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, OrderQueries orders, BusinessMetrics metrics, TimeProvider clock, ILogger<OrderPlacement> logger)
{
    private const int MaxAttempts = 3;

    private sealed record LockedProduct(Guid Id, string Name, decimal Price, string Currency, int Stock, bool Deleted);

    /// <param name="idempotencyKey">The request's key: at most one order per customer and key, even when a retry runs checkout twice.</param>
    /// <param name="completeKey">The statement that records the response for <paramref name="idempotencyKey"/>, given the order: it runs in the order's transaction.</param>
    public async Task<PlacementResult> PlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand?>? completeKey, CancellationToken cancellationToken)
    {
        // Products are locked in id order, so two checkouts never wait on each other in a cycle;
        // a deadlock or serialization failure should not happen, but if Postgres reports one the
        // whole transaction is simply run again instead of surfacing it to the client.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryPlaceAsync(customerId, idempotencyKey, lines, completeKey, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetrying(ex.SqlState, attempt);
            }
        }
    }

    private async Task<PlacementResult> TryPlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand?>? completeKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // FOR UPDATE after ORDER BY: rows are locked in sorted order, and READ COMMITTED re-reads
        // a row's latest committed stock once its lock is granted.
        const string lockProducts = """
            SELECT id, name, price, trim(currency) AS currency, stock, deleted_at IS NOT NULL AS deleted
            FROM products
            WHERE id = ANY(@ids)
            ORDER BY id
            FOR UPDATE
            """;
        var ids = lines.Select(l => l.ProductId).ToArray();
        var locked = (await connection.QueryAsync<LockedProduct>(
            new CommandDefinition(lockProducts, new { ids }, transaction, cancellationToken: cancellationToken))).ToDictionary(p => p.Id);

        if (CheckLines(lines, locked) is { } rejection)
        {
            await transaction.RollbackAsync(cancellationToken);
            return rejection;
        }

        var orderId = Guid.CreateVersion7();
        var currency = locked[lines[0].ProductId].Currency;
        var total = lines.Sum(l => locked[l.ProductId].Price * l.Quantity);
        // The app's clock, to microseconds as Postgres keeps it: the response is complete before
        // the writes, so they and the commit are two round trips while the product rows are locked.
        var now = clock.GetUtcNow().UtcDateTime;
        var createdAt = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var order = new OrderDto(
            orderId, "pending", total, currency, createdAt, createdAt,
            lines.Select(l =>
            {
                var p = locked[l.ProductId];
                return new OrderLineDto(p.Id, p.Name, p.Price, l.Quantity, p.Price * l.Quantity);
            }).ToList(),
            [new OrderStatusChangeDto("pending", createdAt, "Order placed")]);
        var placed = new OrderPlaced(Guid.CreateVersion7(), orderId, customerId, total, currency, new DateTimeOffset(createdAt));

        await using var batch = new NpgsqlBatch(connection, transaction);
        // The locks are held, so this cannot take stock below what was just checked; the CHECK
        // (stock >= 0) on products is the last line of defence.
        batch.BatchCommands.Add(Command("""
            UPDATE products p
            SET stock = p.stock - r.quantity, updated_at = now()
            FROM unnest($1::uuid[], $2::int[]) AS r(id, quantity)
            WHERE p.id = r.id
            """, ids, lines.Select(l => l.Quantity).ToArray()));
        // A second order for the same key violates orders_customer_idempotency_key: see below.
        batch.BatchCommands.Add(Command("""
            INSERT INTO orders (id, customer_id, status, total, currency, idempotency_key, created_at, updated_at)
            VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)
            """, orderId, customerId, total, currency, idempotencyKey, createdAt));
        batch.BatchCommands.Add(Command("""
            INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
            SELECT $1, r.line_no, r.product_id, r.product_name, r.unit_price, r.quantity
            FROM unnest($2::int[], $3::uuid[], $4::text[], $5::numeric[], $6::int[]) AS r(line_no, product_id, product_name, unit_price, quantity)
            """, orderId, Enumerable.Range(1, lines.Count).ToArray(), ids, lines.Select(l => locked[l.ProductId].Name).ToArray(),
            lines.Select(l => locked[l.ProductId].Price).ToArray(), lines.Select(l => l.Quantity).ToArray()));
        batch.BatchCommands.Add(Command(
            "INSERT INTO order_status_changes (order_id, status, at, reason) VALUES ($1, 'pending', $2, 'Order placed')", orderId, createdAt));
        batch.BatchCommands.Add(outbox.CommandFor(OutboxMessage.For(placed.EventId, ShopEvents.OrderPlaced, placed)));
        if (completeKey?.Invoke(order) is { } keyCompletion)
        {
            batch.BatchCommands.Add(keyCompletion); // the idempotency record commits with its order
        }
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "orders_customer_idempotency_key")
        {
            // This key already placed an order (its response was never recorded): give that
            // order back; the rollback undoes the stock taken above.
            await transaction.RollbackAsync(CancellationToken.None);
            var existing = await orders.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("An order holds this idempotency key but cannot be read.");
            LogReturnedExisting(existing.Id);
            return new PlacementResult.Placed(existing, KeyCompleted: false);
        }

        // Past this point the order exists: a client hanging up must not turn a commit into an error.
        await transaction.CommitAsync(CancellationToken.None);
        metrics.OrderPlaced(total, currency);
        return new PlacementResult.Placed(order, KeyCompleted: completeKey is not null);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static PlacementResult? CheckLines(IReadOnlyList<RequestedLine> lines, Dictionary<Guid, LockedProduct> locked)
    {
        var errors = new Dictionary<string, string[]>();
        string? currency = null;
        foreach (var line in lines)
        {
            if (!locked.TryGetValue(line.ProductId, out var product) || product.Deleted)
            {
                errors[$"lines[{line.Index}].productId"] = [$"No product with id {line.ProductId} is for sale."];
                continue;
            }
            currency ??= product.Currency;
            if (product.Currency != currency)
            {
                errors[$"lines[{line.Index}].productId"] = [$"The product is priced in {product.Currency}; an order has one currency ({currency})."];
            }
        }
        if (errors.Count > 0)
        {
            return new PlacementResult.InvalidLines(errors);
        }

        foreach (var line in lines)
        {
            var product = locked[line.ProductId];
            if (product.Stock < line.Quantity)
            {
                return new PlacementResult.OutOfStock(line.Index, product.Id, product.Name, line.Quantity, product.Stock);
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout ran again for an idempotency key that already placed order {OrderId}; returned that order.")]
    private partial void LogReturnedExisting(Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout transaction failed with SQLSTATE {SqlState} on attempt {Attempt}; running it again.")]
    private partial void LogRetrying(string sqlState, int attempt);
}
