using Dapper;
using Npgsql;

namespace Shop.Api.Orders;

/// <summary>The outcome of a checkout: an order, or why none was written.</summary>
public abstract record PlacementResult
{
    public sealed record Placed(OrderDto Order) : PlacementResult;

    /// <summary>Lines whose product is unknown or deleted (or in another currency), keyed by field name.</summary>
    public sealed record InvalidLines(Dictionary<string, string[]> Errors) : PlacementResult;

    public sealed record OutOfStock(int LineIndex, Guid ProductId, string ProductName, int Requested, int Available) : PlacementResult;
}

/// <summary>
/// Turns requested lines into an order in ONE transaction: lock the products, check and take the
/// stock, write the order, its lines, its first status and the orders.placed outbox message.
/// </summary>
public sealed partial class OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, OrderQueries orders, BusinessMetrics metrics, TimeProvider clock, ILogger<OrderPlacement> logger)
{
    private const int MaxAttempts = 3;

    private sealed record LockedProduct(Guid Id, string Name, decimal Price, string Currency, int Stock, bool Deleted);

    /// <param name="idempotencyKey">The request's key: at most one order per customer and key, even when a retry runs checkout twice.</param>
    public async Task<PlacementResult> PlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines, CancellationToken cancellationToken)
    {
        // Products are locked in id order, so two checkouts never wait on each other in a cycle;
        // a deadlock or serialization failure should not happen, but if Postgres reports one the
        // whole transaction is simply run again instead of surfacing it to the client.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryPlaceAsync(customerId, idempotencyKey, lines, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetrying(ex.SqlState, attempt);
            }
        }
    }

    private async Task<PlacementResult> TryPlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines, CancellationToken cancellationToken)
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

        // The locks are held, so this cannot take stock below what was just checked; the CHECK
        // (stock >= 0) on products is the last line of defence.
        const string takeStock = """
            UPDATE products p
            SET stock = p.stock - r.quantity, updated_at = now()
            FROM unnest(@ids, @quantities) AS r(id, quantity)
            WHERE p.id = r.id
            """;
        const string insertOrder = """
            INSERT INTO orders (id, customer_id, status, total, currency, idempotency_key)
            VALUES (@orderId, @customerId, 'pending', @total, @currency, @idempotencyKey)
            ON CONFLICT (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING created_at, updated_at
            """;
        const string insertLines = """
            INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
            SELECT @orderId, r.line_no, r.product_id, r.product_name, r.unit_price, r.quantity
            FROM unnest(@lineNos, @productIds, @names, @prices, @quantities) AS r(line_no, product_id, product_name, unit_price, quantity)
            """;
        const string insertStatus = """
            INSERT INTO order_status_changes (order_id, status, at, reason)
            VALUES (@orderId, 'pending', @at, 'Order placed')
            """;

        await connection.ExecuteAsync(new CommandDefinition(takeStock,
            new { ids, quantities = lines.Select(l => l.Quantity).ToArray() }, transaction, cancellationToken: cancellationToken));
        var inserted = await connection.QuerySingleOrDefaultAsync<(DateTime, DateTime)?>(new CommandDefinition(insertOrder,
            new { orderId, customerId, total, currency, idempotencyKey }, transaction, cancellationToken: cancellationToken));
        if (inserted is not { } timestamps)
        {
            // This key already placed an order (its response was never recorded): give that
            // order back and undo the stock taken above.
            await transaction.RollbackAsync(cancellationToken);
            var existing = await orders.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("An order holds this idempotency key but cannot be read.");
            LogReturnedExisting(existing.Id);
            return new PlacementResult.Placed(existing);
        }
        var (createdAt, updatedAt) = timestamps;
        await connection.ExecuteAsync(new CommandDefinition(insertLines, new
        {
            orderId,
            lineNos = Enumerable.Range(1, lines.Count).ToArray(),
            productIds = ids,
            names = lines.Select(l => locked[l.ProductId].Name).ToArray(),
            prices = lines.Select(l => locked[l.ProductId].Price).ToArray(),
            quantities = lines.Select(l => l.Quantity).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(insertStatus, new { orderId, at = createdAt }, transaction, cancellationToken: cancellationToken));

        var placed = new OrderPlaced(Guid.CreateVersion7(), orderId, customerId, total, currency, clock.GetUtcNow());
        await outbox.AddAsync(connection, transaction, OutboxMessage.For(placed.EventId, ShopEvents.OrderPlaced, placed), cancellationToken);

        // Past this point the order exists: a client hanging up must not turn a commit into an error.
        await transaction.CommitAsync(CancellationToken.None);
        metrics.OrderPlaced(total, currency);

        var order = new OrderDto(
            orderId, "pending", total, currency, createdAt, updatedAt,
            lines.Select(l =>
            {
                var p = locked[l.ProductId];
                return new OrderLineDto(p.Id, p.Name, p.Price, l.Quantity, p.Price * l.Quantity);
            }).ToList(),
            [new OrderStatusChangeDto("pending", createdAt, "Order placed")]);
        return new PlacementResult.Placed(order);
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
