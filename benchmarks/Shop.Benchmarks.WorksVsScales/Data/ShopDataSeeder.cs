using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Shop.Seeder;

namespace Shop.Benchmarks.WorksVsScales.Data;

/// <summary>
/// Fills the shop's own tables (users, products, orders, order_lines) by binary COPY, then
/// VACUUM ANALYZE, so every pair runs against the schema and indexes the API's migrations made.
/// Customers are seeded once; products and orders are replaced for each size.
/// </summary>
/// <remarks>
/// Shape of the data: 10,000 customers; the first one (the "big customer") placed 10% of all
/// orders, so a deep page of one customer's history exists at every size (900 orders deep at
/// 10k, 90,000 deep at 1M); the others share the rest evenly. One product per 20 orders, at
/// least 500; every order has 1-3 lines.
/// </remarks>
public sealed class ShopDataSeeder(NpgsqlDataSource database, TextWriter log)
{
    public const int CustomerCount = 10_000;
    public const double BigCustomerShare = 0.10;
    public const int HotProductCount = 8;
    private const int OrdersPerBatch = 100_000;
    private const int ParallelCopies = 2;
    private const int Seed = 20261210;

    private static readonly string[] Adjectives = ["Compact", "Deluxe", "Eco", "Classic", "Smart", "Rugged", "Mini", "Pro"];
    private static readonly string[] Nouns = ["Kettle", "Lamp", "Backpack", "Chair", "Headphones", "Teapot", "Notebook", "Mug"];

    private sealed record Product(Guid Id, string Name, decimal Price);

    private Guid[]? _customers;

    public async Task<SeededData> SeedAsync(int orders, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var now = new DateTime(DateTime.UtcNow.Ticks / 10 * 10, DateTimeKind.Utc); // microseconds, as Postgres stores them
        _customers ??= await SeedCustomersAsync(now, cancellationToken);

        await ExecuteAsync("TRUNCATE products, orders CASCADE", cancellationToken); // lines, timelines, payments go with them
        var products = await SeedProductsAsync(Math.Max(500, orders / 20), now, cancellationToken);
        var lines = await SeedOrdersAsync(orders, now, products, _customers, cancellationToken);
        // VACUUM as well as ANALYZE: it sets the tuples' hint bits and the visibility map now, so
        // neither the first measured reads nor an autovacuum woken by a million new rows does
        // that work while a pair is being timed.
        await ExecuteAsync("VACUUM (ANALYZE) users, products, orders, order_lines", cancellationToken);

        var history = await ReadHistoryAsync(_customers[0], cancellationToken);
        log.WriteLine($"Seeded {orders:N0} orders, {lines:N0} lines, {products.Length:N0} products with binary COPY + VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:0.0} s");
        return new SeededData(orders, products.Length, lines, _customers[0], history, _customers,
            [.. products.Select(p => p.Id)], [.. products.Take(HotProductCount).Select(p => p.Id)], clock.Elapsed);
    }

    private async Task<Guid[]> SeedCustomersAsync(DateTime now, CancellationToken cancellationToken)
    {
        var ids = new Guid[CustomerCount];
        await using var connection = await OpenForCopyAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY users (id, email, display_name, password_hash, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < ids.Length; i++)
        {
            var createdAt = now.AddYears(-3).AddMinutes(i);
            ids[i] = Guid.CreateVersion7(createdAt);
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(ids[i], NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync($"bench-customer-{i}@bench.shopaspire.local", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync($"Bench Customer {i}", NpgsqlDbType.Text, cancellationToken);
            // Not a hash of anything: these customers never sign in.
            await copy.WriteAsync("!benchmark-customer", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
        return ids;
    }

    private async Task<Product[]> SeedProductsAsync(int count, DateTime now, CancellationToken cancellationToken)
    {
        var random = new Random(Seed);
        var products = new Product[count];
        await using var connection = await OpenForCopyAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY products (id, name, description, price, currency, stock, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var createdAt = now.AddYears(-3).AddSeconds(i);
            products[i] = new Product(
                Guid.CreateVersion7(createdAt),
                $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]} {i + 1}",
                Math.Round(1m + (decimal)random.NextDouble() * 199m, 2));
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(products[i].Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(products[i].Name, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync("Seeded by Shop.Benchmarks.WorksVsScales", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(products[i].Price, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync("EUR", NpgsqlDbType.Char, cancellationToken);
            // Enough that the payment pair's checkouts never run a product out.
            await copy.WriteAsync(10_000_000, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
        return products;
    }

    /// <summary>Orders oldest first over the last two years, in batches COPYed on parallel connections.</summary>
    private async Task<long> SeedOrdersAsync(int count, DateTime now, Product[] products, Guid[] customers, CancellationToken cancellationToken)
    {
        var from = now.AddYears(-2);
        // Evenly spaced with jitter inside each step: strictly increasing, so no two orders tie.
        var stepTicks = (now - from).Ticks / count / 10 * 10;
        long lines = 0;
        var batches = Enumerable.Range(0, (count + OrdersPerBatch - 1) / OrdersPerBatch);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = ParallelCopies, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var random = new Random(Seed + 1 + batch);
            var first = batch * OrdersPerBatch;
            var size = Math.Min(OrdersPerBatch, count - first);
            await using var connection = await OpenForCopyAsync(ct);
            var written = await CopyOrdersAsync(connection, random, first, size, i => from.AddTicks(i * stepTicks + random.NextInt64(stepTicks / 10) * 10), products, customers, ct);
            Interlocked.Add(ref lines, written);
        });
        return lines;
    }

    private static async Task<long> CopyOrdersAsync(
        NpgsqlConnection connection, Random random, int first, int count, Func<int, DateTime> createdAtOf,
        Product[] products, Guid[] customers, CancellationToken cancellationToken)
    {
        var orders = new (Guid Id, Guid Customer, DateTime CreatedAt, (Product Product, int Quantity)[] Lines)[count];
        for (var i = 0; i < count; i++)
        {
            var createdAt = createdAtOf(first + i);
            var customer = random.NextDouble() < BigCustomerShare ? customers[0] : customers[1 + random.Next(customers.Length - 1)];
            var lines = new (Product, int)[random.Next(1, 4)];
            for (var l = 0; l < lines.Length; l++)
            {
                lines[l] = (products[random.Next(products.Length)], random.Next(1, 4));
            }
            orders[i] = (Guid.CreateVersion7(createdAt), customer, createdAt, lines);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY orders (id, customer_id, status, total, currency, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var order in orders)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(order.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(order.Customer, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync("paid", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(order.Lines.Sum(l => l.Product.Price * l.Quantity), NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync("EUR", NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        long written = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY order_lines (order_id, line_no, product_id, product_name, unit_price, quantity) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var order in orders)
            {
                for (var l = 0; l < order.Lines.Length; l++)
                {
                    var (product, quantity) = order.Lines[l];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(order.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(l + 1, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(product.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(product.Name, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(product.Price, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(quantity, NpgsqlDbType.Integer, cancellationToken);
                    written++;
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        return written;
    }

    private async Task<IReadOnlyList<OrderKey>> ReadHistoryAsync(Guid customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var keys = await connection.QueryAsync<(DateTime CreatedAt, Guid Id)>(new CommandDefinition(
            "SELECT created_at, id FROM orders WHERE customer_id = @customerId ORDER BY created_at DESC, id DESC",
            new { customerId }, cancellationToken: cancellationToken));
        return [.. keys.Select(k => new OrderKey(k.CreatedAt, k.Id))];
    }

    private Task<NpgsqlConnection> OpenForCopyAsync(CancellationToken cancellationToken) =>
        BulkCopyConnection.OpenAsync(database, log, cancellationToken);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
