using Npgsql;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// Places orders the way checkout does (docs/api.md): in one transaction the order, its line, the
/// 'pending' timeline row, the stock it takes and an orders.placed outbox message. For what real
/// checkouts cannot set up: an order without its message, a given traceparent, a thousand at
/// once. The failure tests' streams use real checkouts (<see cref="CheckoutShopper"/>).
/// </summary>
public sealed class OrderSeeder(string connectionString)
{
    public sealed record Shop(Guid CustomerId, string CustomerEmail, Guid ProductId, string ProductName, decimal Price);

    public async Task<Shop> CreateShopAsync(decimal price = 12.50m, int stock = 10_000_000)
    {
        var customerId = Guid.CreateVersion7();
        var email = $"async-{customerId:N}@example.test";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, 'Async Tester', 'not-a-real-hash')", connection)
            {
                Parameters = { new() { Value = customerId }, new() { Value = email } },
            };
            await insert.ExecuteNonQueryAsync();
        }
        var (productId, name) = await CreateProductAsync(price, stock);
        return new Shop(customerId, email, productId, name, price);
    }

    /// <summary>A product with plenty of stock, so a long stream of orders never runs out.</summary>
    public async Task<(Guid Id, string Name)> CreateProductAsync(decimal price, int stock = 10_000_000)
    {
        var productId = Guid.CreateVersion7();
        var name = $"Async kettle {productId:N}"[..24];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO products (id, name, price, currency, stock) VALUES ($1, $2, $3, 'EUR', $4)", connection)
        {
            Parameters = { new() { Value = productId }, new() { Value = name }, new() { Value = price }, new() { Value = stock } },
        };
        await insert.ExecuteNonQueryAsync();
        return (productId, name);
    }

    /// <summary>Places <paramref name="count"/> orders of <paramref name="quantity"/> × the product in one transaction.</summary>
    public async Task<Guid[]> PlaceAsync(Shop shop, int count, int quantity = 1, bool withOutboxMessage = true, string? traceParent = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        var eventIds = ids.Select(_ => Guid.CreateVersion7()).ToArray();
        var total = shop.Price * quantity;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO orders (id, customer_id, status, total, currency) SELECT unnest($1::uuid[]), $2, 'pending', $3, 'EUR'")
                {
                    Parameters = { new() { Value = ids }, new() { Value = shop.CustomerId }, new() { Value = total } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
                    SELECT unnest($1::uuid[]), 1, $2, $3, $4, $5
                    """)
                {
                    Parameters = { new() { Value = ids }, new() { Value = shop.ProductId }, new() { Value = shop.ProductName }, new() { Value = shop.Price }, new() { Value = quantity } },
                },
                new NpgsqlBatchCommand("INSERT INTO order_status_changes (order_id, status) SELECT unnest($1::uuid[]), 'pending'")
                {
                    Parameters = { new() { Value = ids } },
                },
                new NpgsqlBatchCommand("UPDATE products SET stock = stock - $1 WHERE id = $2")
                {
                    Parameters = { new() { Value = count * quantity }, new() { Value = shop.ProductId } },
                },
            },
        };
        if (withOutboxMessage)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO outbox_messages (id, routing_key, message_type, traceparent, payload)
                SELECT e, 'orders.placed', 'OrderPlaced', $5,
                       jsonb_build_object('eventId', e, 'orderId', o, 'customerId', $3::uuid, 'total', $4::numeric, 'currency', 'EUR', 'occurredAt', now())
                FROM unnest($1::uuid[], $2::uuid[]) AS t(e, o)
                """)
            {
                Parameters =
                {
                    new() { Value = eventIds }, new() { Value = ids }, new() { Value = shop.CustomerId }, new() { Value = total },
                    new() { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                },
            });
        }
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return ids;
    }
}
