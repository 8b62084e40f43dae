using Microsoft.AspNetCore.Identity;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

/// <summary>Direct access to the stack's shopdb: arrange products and customers fast, and check what was written.</summary>
public sealed class ShopDatabase(string connectionString)
{
    private const string SharedPassword = "orders test password";
    private static readonly Lazy<string> SharedPasswordHash = new(() => new PasswordHasher<object>().HashPassword(new object(), SharedPassword));

    public string ConnectionString => connectionString;

    public static async Task<ShopDatabase> ForAsync(ShopStackFixture stack) => new(await stack.ConnectionStringAsync("shopdb"));

    public async Task<Guid> CreateProductAsync(decimal price = 10m, int stock = 100, string? name = null, string currency = "EUR")
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync(
            "INSERT INTO products (id, name, price, currency, stock) VALUES (@id, @name, @price, @currency, @stock)",
            ("id", id), ("name", name ?? $"Test product {id:N}"[..24]), ("price", price), ("currency", currency), ("stock", stock));
        return id;
    }

    public async Task<Guid[]> CreateProductsAsync(int count, decimal price = 5m, int stock = 1000)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await ExecuteAsync(
            "INSERT INTO products (id, name, price, stock) SELECT id, 'Bulk product ' || id::text, @price, @stock FROM unnest(@ids) AS id",
            ("ids", ids), ("price", price), ("stock", stock));
        return ids;
    }

    /// <summary>
    /// Many customers at once: rows inserted directly with one shared hash, then each signs in
    /// through the real API (real tokens) a few at a time. Much faster than registering each.
    /// </summary>
    public async Task<ApiClients.SignedInClient[]> CreateCustomersAsync(ShopStackFixture stack, int count)
    {
        var emails = Enumerable.Range(0, count).Select(_ => $"bulk-{Guid.NewGuid():N}@example.test").ToArray();
        await ExecuteAsync(
            "INSERT INTO users (id, email, display_name, password_hash) SELECT uuidv7_like, e, 'Bulk shopper', @hash FROM unnest(@ids, @emails) AS t(uuidv7_like, e)",
            ("ids", emails.Select(_ => Guid.CreateVersion7()).ToArray()), ("emails", emails), ("hash", SharedPasswordHash.Value));

        using var gate = new SemaphoreSlim(8);
        return await Task.WhenAll(emails.Select(async email =>
        {
            await gate.WaitAsync();
            try
            {
                return await stack.SignInAsync(email, SharedPassword);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public Task<int> StockOfAsync(Guid productId) =>
        ScalarAsync<int>("SELECT stock FROM products WHERE id = @id", ("id", productId));

    public Task<long> CountOrdersOfAsync(Guid customerId) =>
        ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @id", ("id", customerId));

    public Task<long> CountOrdersWithProductAsync(Guid productId) =>
        ScalarAsync<long>("SELECT count(DISTINCT order_id) FROM order_lines WHERE product_id = @id", ("id", productId));

    public Task<long> CountOutboxMessagesOfAsync(Guid customerId) =>
        ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE routing_key = 'orders.placed' AND payload->>'customerId' = @id", ("id", customerId.ToString()));

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }
}
