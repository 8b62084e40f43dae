using Dapper;
using Npgsql;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>An order written by <see cref="CheckoutTransaction.PlaceAsync"/>.</summary>
public sealed record PlacedOrder(Guid Id, Guid CustomerId, decimal Total);

/// <summary>
/// The part of a checkout both sides of the payment pair share, the way Shop.Api's
/// OrderPlacement does it inside one transaction: lock the products (in id order, so two
/// checkouts never deadlock), take one of each from stock, write the order, its lines and its
/// first status. The row locks are held until the caller commits.
/// </summary>
public static class CheckoutTransaction
{
    private const string LockProducts = """
        SELECT id, name, price
        FROM products
        WHERE id = ANY(@productIds)
        ORDER BY id
        FOR UPDATE
        """;

    private const string TakeStock = """
        UPDATE products SET stock = stock - 1, updated_at = now()
        WHERE id = ANY(@productIds)
        """;

    private const string InsertOrder = """
        INSERT INTO orders (id, customer_id, status, total, currency)
        VALUES (@orderId, @customerId, 'pending', @total, 'EUR')
        """;

    private const string InsertLines = """
        INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
        SELECT @orderId, r.line_no, r.id, r.name, r.price, 1
        FROM unnest(@lineNos, @productIds, @names, @prices) AS r(line_no, id, name, price)
        """;

    private const string InsertStatus = """
        INSERT INTO order_status_changes (order_id, status, reason)
        VALUES (@orderId, @status, @reason)
        """;

    private sealed record LockedProduct(Guid Id, string Name, decimal Price);

    public static async Task<PlacedOrder> PlaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid customerId, Guid[] productIds, CancellationToken cancellationToken)
    {
        var products = (await connection.QueryAsync<LockedProduct>(new CommandDefinition(
            LockProducts, new { productIds }, transaction, cancellationToken: cancellationToken))).AsList();
        var orderId = Guid.CreateVersion7();
        var total = products.Sum(p => p.Price);

        await connection.ExecuteAsync(new CommandDefinition(TakeStock, new { productIds }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(InsertOrder, new { orderId, customerId, total }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(InsertLines, new
        {
            orderId,
            lineNos = Enumerable.Range(1, products.Count).ToArray(),
            productIds = products.Select(p => p.Id).ToArray(),
            names = products.Select(p => p.Name).ToArray(),
            prices = products.Select(p => p.Price).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await AddStatusAsync(connection, transaction, orderId, "pending", "Order placed", cancellationToken);
        return new PlacedOrder(orderId, customerId, total);
    }

    /// <summary>Moves the order on and records the step in its timeline.</summary>
    public static async Task SetStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId, string status, string reason, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET status = @status, updated_at = now() WHERE id = @orderId",
            new { orderId, status }, transaction, cancellationToken: cancellationToken));
        await AddStatusAsync(connection, transaction, orderId, status, reason, cancellationToken);
    }

    private static Task AddStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId, string status, string reason, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertStatus, new { orderId, status, reason }, transaction, cancellationToken: cancellationToken));
}
