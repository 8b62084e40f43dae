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
/// Turns requested lines into an order in ONE transaction of two round trips: take the stock (the
/// UPDATE locks the product rows and returns what the order needs); then write the order, its
/// lines, its first status, the orders.placed outbox message and the request's idempotency record,
/// and commit, in one batch. A hot product's row stays locked for one round trip.
/// </summary>
/// <remarks>
/// The transaction is begun and committed by SQL inside the two batches, not through
/// <see cref="NpgsqlTransaction"/>, whose commit is a round trip of its own while the rows are
/// locked. Npgsql follows the transaction state the server reports; every path that does not
/// commit rolls back explicitly.
/// </remarks>
public sealed partial class OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, OrderQueries orders, BusinessMetrics metrics, TimeProvider clock, ILogger<OrderPlacement> logger)
{
    private const int MaxAttempts = 3;

    private sealed record ProductRow(Guid Id, string Name, decimal Price, string Currency, int Stock, bool Deleted);

    /// <param name="idempotencyKey">The request's key: at most one order per customer and key, even when a retry runs checkout twice.</param>
    /// <param name="completeKey">The statement that records the response for <paramref name="idempotencyKey"/>, given the order: it runs in the order's transaction.</param>
    public async Task<PlacementResult> PlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand?>? completeKey, CancellationToken cancellationToken)
    {
        // Rows are locked in product id order, so two checkouts never wait on each other in a
        // cycle; if Postgres reports a deadlock anyway, or stock came back between a failed take
        // and the look at why, the whole transaction simply runs again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await TryPlaceAsync(customerId, idempotencyKey, lines, completeKey, lastAttempt: attempt == MaxAttempts, cancellationToken) is { } result)
                {
                    return result;
                }
                LogRetrying("stock changed", attempt);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetrying(ex.SqlState, attempt);
            }
        }
    }

    /// <returns>The result, or null to run again (a line could not be taken, yet nothing explains why any more).</returns>
    private async Task<PlacementResult?> TryPlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand?>? completeKey, bool lastAttempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sorted = lines.OrderBy(l => l.ProductId).ToArray();
        Dictionary<Guid, ProductRow> taken;
        try
        {
            taken = await TakeStockAsync(connection, sorted, cancellationToken);
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }

        if (taken.Count < lines.Count || CheckLines(lines, taken) is not null)
        {
            await RollbackAsync(connection);
            var current = await ReadProductsAsync(connection, sorted, cancellationToken);
            return CheckLines(lines, current) ?? (lastAttempt ? FirstUntaken(lines, taken, current) : null);
        }

        var orderId = Guid.CreateVersion7();
        var currency = taken[lines[0].ProductId].Currency;
        var total = lines.Sum(l => taken[l.ProductId].Price * l.Quantity);
        // The app's clock, to microseconds as Postgres keeps it: the response is complete before
        // the writes, so they and the commit can travel together.
        var now = clock.GetUtcNow().UtcDateTime;
        var createdAt = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var order = new OrderDto(
            orderId, "pending", total, currency, createdAt, createdAt,
            lines.Select(l =>
            {
                var p = taken[l.ProductId];
                return new OrderLineDto(p.Id, p.Name, p.Price, l.Quantity, p.Price * l.Quantity);
            }).ToList(),
            [new OrderStatusChangeDto("pending", createdAt, "Order placed")]);
        var placed = new OrderPlaced(Guid.CreateVersion7(), orderId, customerId, total, currency, new DateTimeOffset(createdAt));

        await using var batch = new NpgsqlBatch(connection);
        // A second order for the same key violates orders_customer_idempotency_key: see below.
        batch.BatchCommands.Add(Command("""
            INSERT INTO orders (id, customer_id, status, total, currency, idempotency_key, created_at, updated_at)
            VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)
            """, orderId, customerId, total, currency, idempotencyKey, createdAt));
        batch.BatchCommands.Add(Command("""
            INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
            SELECT $1, r.line_no, r.product_id, r.product_name, r.unit_price, r.quantity
            FROM unnest($2::int[], $3::uuid[], $4::text[], $5::numeric[], $6::int[]) AS r(line_no, product_id, product_name, unit_price, quantity)
            """, orderId, Enumerable.Range(1, lines.Count).ToArray(), lines.Select(l => l.ProductId).ToArray(), lines.Select(l => taken[l.ProductId].Name).ToArray(),
            lines.Select(l => taken[l.ProductId].Price).ToArray(), lines.Select(l => l.Quantity).ToArray()));
        batch.BatchCommands.Add(Command(
            "INSERT INTO order_status_changes (order_id, status, at, reason) VALUES ($1, 'pending', $2, 'Order placed')", orderId, createdAt));
        batch.BatchCommands.Add(outbox.CommandFor(OutboxMessage.For(placed.EventId, ShopEvents.OrderPlaced, placed)));
        if (completeKey?.Invoke(order) is { } keyCompletion)
        {
            batch.BatchCommands.Add(keyCompletion); // the idempotency record commits with its order
        }
        // After an error the server skips the rest of the batch, this COMMIT included.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            // Past this point the order may exist: a client hanging up must not turn a commit into an error.
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "orders_customer_idempotency_key")
        {
            // This key already placed an order (its response was never recorded): give that
            // order back; the rollback puts back the stock taken above.
            await RollbackAsync(connection);
            var existing = await orders.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("An order holds this idempotency key but cannot be read.");
            LogReturnedExisting(existing.Id);
            return new PlacementResult.Placed(existing, KeyCompleted: false);
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }

        metrics.OrderPlaced(total, currency);
        return new PlacementResult.Placed(order, KeyCompleted: completeKey is not null);
    }

    /// <summary>
    /// BEGIN and the stock UPDATE in one round trip, the rows locked in id order. Only lines with enough stock are taken (the
    /// CHECK (stock >= 0) on products is the last line of defence); READ COMMITTED re-checks a row's
    /// latest stock once its lock is granted. The returned rows are what the order is priced from.
    /// </summary>
    private static async Task<Dictionary<Guid, ProductRow>> TakeStockAsync(NpgsqlConnection connection, RequestedLine[] sorted, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        // The CTE locks the rows in id order (FOR UPDATE sits above the sort), so two multi-line
        // checkouts never wait on each other in a cycle; an UPDATE alone locks in whatever order
        // its plan visits the rows, and deadlocked half the opposite-order checkouts under load.
        batch.BatchCommands.Add(Command("""
            WITH locked AS MATERIALIZED (
                SELECT id FROM products WHERE id = ANY($1) ORDER BY id FOR UPDATE
            )
            UPDATE products p
            SET stock = p.stock - r.quantity, updated_at = now()
            FROM locked l
            JOIN unnest($1::uuid[], $2::int[]) AS r(id, quantity) ON r.id = l.id
            WHERE p.id = l.id AND p.deleted_at IS NULL AND p.stock >= r.quantity
            RETURNING p.id, p.name, p.price, trim(p.currency), p.stock + r.quantity
            """, sorted.Select(l => l.ProductId).ToArray(), sorted.Select(l => l.Quantity).ToArray()));
        var taken = new Dictionary<Guid, ProductRow>(sorted.Length);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new ProductRow(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.GetString(3), reader.GetInt32(4), Deleted: false);
            taken[row.Id] = row;
        }
        return taken;
    }

    /// <summary>The products as they are now (no lock): only to tell the client why a line could not be taken.</summary>
    private static async Task<Dictionary<Guid, ProductRow>> ReadProductsAsync(NpgsqlConnection connection, RequestedLine[] lines, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, name, price, trim(currency) AS currency, stock, deleted_at IS NOT NULL AS deleted
            FROM products
            WHERE id = ANY(@ids)
            """;
        var ids = lines.Select(l => l.ProductId).ToArray();
        return (await connection.QueryAsync<ProductRow>(new CommandDefinition(sql, new { ids }, cancellationToken: cancellationToken))).ToDictionary(p => p.Id);
    }

    /// <summary>Stock came back between the take and the look: report the line that could not be taken, with the stock it has now.</summary>
    private static PlacementResult FirstUntaken(IReadOnlyList<RequestedLine> lines, Dictionary<Guid, ProductRow> taken, Dictionary<Guid, ProductRow> current)
    {
        var line = lines.FirstOrDefault(l => !taken.ContainsKey(l.ProductId)) ?? lines[0];
        var product = current[line.ProductId];
        return new PlacementResult.OutOfStock(line.Index, product.Id, product.Name, line.Quantity, product.Stock);
    }

    private static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // broken: the server rolls back a transaction whose connection is gone
        }
        try
        {
            // CancellationToken.None: a client that hung up must not leave the transaction open.
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke under the rollback: the same.
        }
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

    private static PlacementResult? CheckLines(IReadOnlyList<RequestedLine> lines, Dictionary<Guid, ProductRow> locked)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout transaction failed ({Reason}) on attempt {Attempt}; running it again.")]
    private partial void LogRetrying(string reason, int attempt);
}
