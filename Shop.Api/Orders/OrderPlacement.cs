using Dapper;
using Npgsql;
using Shop.Api.Idempotency;
using ShopAspire.Messaging.Database;

namespace Shop.Api.Orders;

/// <summary>The outcome of a checkout: an order, or why none was written.</summary>
public abstract record PlacementResult
{
    /// <param name="KeyCompleted">Whether the idempotency key was claimed with the order's response in the order's transaction.</param>
    public sealed record Placed(OrderDto Order, bool KeyCompleted = false) : PlacementResult;

    /// <summary>Another request holds the idempotency key (running now, or finished since it was looked up): nothing was written.</summary>
    public sealed record KeyNotFree : PlacementResult;

    /// <summary>Lines whose product is unknown or deleted (or in another currency), keyed by field name.</summary>
    public sealed record InvalidLines(Dictionary<string, string[]> Errors) : PlacementResult;

    public sealed record OutOfStock(int LineIndex, Guid ProductId, string ProductName, int Requested, int Available) : PlacementResult;
}

/// <summary>
/// Turns requested lines into an order in two round trips: read the products (no lock, no
/// transaction) and price the order from them; then ONE batch begins a transaction, claims the
/// request's idempotency key with the order's response (migration 0038), writes the order, its
/// first status and the orders.placed outbox message, takes the stock (checkout_take_stock,
/// migration 0036), writes the lines, and commits. A hot product's row is locked only for the
/// end of that batch, not across a round trip.
/// </summary>
/// <remarks>
/// The take fails the batch (SQLSTATE SA409) unless every line is still for sale, in stock and at
/// the price and currency the order was priced at; a fresh read then tells the client why, or the
/// placement runs again. The transaction is begun and committed by SQL inside the batch, not
/// through <see cref="NpgsqlTransaction"/>, whose commit is a round trip of its own while the rows
/// are locked. Npgsql follows the transaction state the server reports; every path that does not
/// commit rolls back explicitly.
/// </remarks>
public sealed partial class OrderPlacement(NpgsqlDataSource dataSource, OutboxWriter outbox, OrderQueries orders, BusinessMetrics metrics, TimeProvider clock, ILogger<OrderPlacement> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>Raised by checkout_take_stock when a line cannot be taken as priced.</summary>
    private const string NotTakenSqlState = "SA409";

    private sealed record ProductRow(Guid Id, string Name, decimal Price, string Currency, int Stock, bool Deleted);

    /// <param name="idempotencyKey">The request's key: at most one order per customer and key, even when a retry runs checkout twice.</param>
    /// <param name="claimKey">The statement that claims <paramref name="idempotencyKey"/> with the response for the order: it runs in the order's transaction.</param>
    public async Task<PlacementResult> PlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand> claimKey, CancellationToken cancellationToken)
    {
        // The take locks rows in product id order, so two checkouts never wait on each other in a
        // cycle; if Postgres reports a deadlock anyway, or the products changed between the read
        // and the take yet a fresh read finds nothing wrong, the whole placement simply runs again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await TryPlaceAsync(customerId, idempotencyKey, lines, claimKey, lastAttempt: attempt == MaxAttempts, cancellationToken) is { } result)
                {
                    return result;
                }
                LogRetrying("products changed", attempt);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetrying(ex.SqlState, attempt);
            }
        }
    }

    /// <returns>The result, or null to run again (a line could not be taken, yet nothing explains why any more).</returns>
    private async Task<PlacementResult?> TryPlaceAsync(Guid customerId, string idempotencyKey, IReadOnlyList<RequestedLine> lines,
        Func<OrderDto, NpgsqlBatchCommand> claimKey, bool lastAttempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sorted = lines.OrderBy(l => l.ProductId).ToArray();
        // No lock: the take at the end of the batch checks that nothing the order relies on changed.
        var products = await ReadProductsAsync(connection, sorted, cancellationToken);
        if (CheckLines(lines, products) is { } rejected)
        {
            return rejected;
        }

        var orderId = Guid.CreateVersion7();
        var currency = products[lines[0].ProductId].Currency;
        var total = lines.Sum(l => products[l.ProductId].Price * l.Quantity);
        // The app's clock, to microseconds as Postgres keeps it: the response is complete before
        // the writes, so they and the commit can travel together.
        var now = clock.GetUtcNow().UtcDateTime;
        var createdAt = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var order = new OrderDto(
            orderId, "pending", total, currency, createdAt, createdAt,
            lines.Select(l =>
            {
                var p = products[l.ProductId];
                return new OrderLineDto(p.Id, p.Name, p.Price, l.Quantity, p.Price * l.Quantity);
            }).ToList(),
            [new OrderStatusChangeDto("pending", createdAt, "Order placed")]);
        var placed = new OrderPlaced(Guid.CreateVersion7(), orderId, customerId, total, currency, new DateTimeOffset(createdAt));

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        // The key first: it never waits (a request with the same key running now fails it at once,
        // and the middleware answers 409), and the key and its order commit together or not at all.
        batch.BatchCommands.Add(claimKey(order));
        // A second order for the same key violates orders_customer_idempotency_key: see below.
        batch.BatchCommands.Add(Command("""
            INSERT INTO orders (id, customer_id, status, total, currency, idempotency_key, created_at, updated_at)
            VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)
            """, orderId, customerId, total, currency, idempotencyKey, createdAt));
        batch.BatchCommands.Add(Command(
            "INSERT INTO order_status_changes (order_id, status, at, reason) VALUES ($1, 'pending', $2, 'Order placed')", orderId, createdAt));
        batch.BatchCommands.Add(outbox.CommandFor(OutboxMessage.For(placed.EventId, ShopEvents.OrderPlaced, placed)));
        // The product rows are locked from here to the COMMIT. The take raises unless every line
        // is still for sale, in stock, and at the price and currency the order was priced at.
        batch.BatchCommands.Add(Command("SELECT checkout_take_stock($1, $2, $3, $4)",
            sorted.Select(l => l.ProductId).ToArray(), sorted.Select(l => l.Quantity).ToArray(),
            sorted.Select(l => products[l.ProductId].Price).ToArray(), currency));
        // The lines come after the take: their foreign key check key-share locks each product.
        // Before the take, every checkout queued on a hot row would already hold such a lock on
        // it, and each further lock and take of that row would build a multixact of all of them.
        batch.BatchCommands.Add(Command("""
            INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
            SELECT $1, r.line_no, r.product_id, r.product_name, r.unit_price, r.quantity
            FROM unnest($2::int[], $3::uuid[], $4::text[], $5::numeric[], $6::int[]) AS r(line_no, product_id, product_name, unit_price, quantity)
            """, orderId, Enumerable.Range(1, lines.Count).ToArray(), lines.Select(l => l.ProductId).ToArray(), lines.Select(l => products[l.ProductId].Name).ToArray(),
            lines.Select(l => products[l.ProductId].Price).ToArray(), lines.Select(l => l.Quantity).ToArray()));
        // After an error the server skips the rest of the batch, this COMMIT included.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            // Past this point the order may exist: a client hanging up must not turn a commit into an error.
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState == NotTakenSqlState)
        {
            // The products changed since they were read: nothing was written. Say why, or run again.
            await StatementTransactions.RollbackAsync(connection);
            var current = await ReadProductsAsync(connection, sorted, cancellationToken);
            return CheckLines(lines, current) ?? (lastAttempt ? NotTaken(lines, products, current) : null);
        }
        catch (PostgresException ex) when (ex.SqlState is IdempotencyStore.KeyInFlightSqlState or IdempotencyStore.KeyTakenSqlState)
        {
            await StatementTransactions.RollbackAsync(connection);
            return new PlacementResult.KeyNotFree();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "orders_customer_idempotency_key")
        {
            // This key already placed an order, and its record is gone (expired, or written before
            // keys were claimed with their order): give that order back; nothing of this attempt
            // was written, no stock taken.
            await StatementTransactions.RollbackAsync(connection);
            var existing = await orders.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("An order holds this idempotency key but cannot be read.");
            LogReturnedExisting(existing.Id);
            return new PlacementResult.Placed(existing, KeyCompleted: false);
        }
        catch
        {
            await StatementTransactions.RollbackAsync(connection);
            throw;
        }

        metrics.OrderPlaced(total, currency);
        return new PlacementResult.Placed(order, KeyCompleted: true);
    }

    /// <summary>The products as they are now (no lock, no transaction): what the order is priced from, and why a take failed.</summary>
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

    /// <summary>
    /// The take failed on every attempt, yet each fresh read found nothing wrong (stock came back,
    /// or a price kept moving): report the line most likely not taken, the first whose price or
    /// currency changed since it was priced, else the one with the least stock to spare.
    /// </summary>
    private static PlacementResult NotTaken(IReadOnlyList<RequestedLine> lines, Dictionary<Guid, ProductRow> priced, Dictionary<Guid, ProductRow> current)
    {
        var line = lines.FirstOrDefault(l => current[l.ProductId].Price != priced[l.ProductId].Price || current[l.ProductId].Currency != priced[l.ProductId].Currency)
            ?? lines.MinBy(l => current[l.ProductId].Stock - l.Quantity)!;
        var product = current[line.ProductId];
        return new PlacementResult.OutOfStock(line.Index, product.Id, product.Name, line.Quantity, product.Stock);
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

    private static PlacementResult? CheckLines(IReadOnlyList<RequestedLine> lines, Dictionary<Guid, ProductRow> products)
    {
        var errors = new Dictionary<string, string[]>();
        string? currency = null;
        foreach (var line in lines)
        {
            if (!products.TryGetValue(line.ProductId, out var product) || product.Deleted)
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
            var product = products[line.ProductId];
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
