using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Seeder;

/// <summary>
/// Fills shopdb with realistic volume by binary COPY: products, customers, orders with lines and
/// their status timelines. Ids are UUIDv7 made from each row's own created_at, so they are as
/// time-ordered as the API's; orders are generated oldest first so the id index grows at its end.
/// Expects the schema the API's migrations create (start the stack first).
/// </summary>
public sealed class ShopSeeder(string connectionString, SeedOptions options, TextWriter log)
{
    private static readonly string[] Adjectives = ["Compact", "Deluxe", "Eco", "Classic", "Smart", "Rugged", "Mini", "Pro", "Vintage", "Quiet", "Bright", "Cozy"];
    private static readonly string[] Nouns = ["Kettle", "Lamp", "Backpack", "Chair", "Headphones", "Teapot", "Notebook", "Blender", "Jacket", "Mug", "Speaker", "Desk"];

    private sealed record Product(Guid Id, string Name, decimal Price);

    public async Task<SeedReport> SeedAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        // Microsecond precision, as Postgres stores it.
        var now = new DateTime(DateTime.UtcNow.Ticks / 10 * 10, DateTimeKind.Utc);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await CheckDatabaseAsync(dataSource, cancellationToken);

        var products = await SeedProductsAsync(dataSource, now, cancellationToken);
        log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {products.Length:N0} products");
        var customers = await SeedUsersAsync(dataSource, now, cancellationToken);
        log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {customers.Length:N0} users");
        var (lines, changes) = await SeedOrdersAsync(dataSource, now, products, customers, clock, cancellationToken);
        log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {options.Orders:N0} orders, {lines:N0} lines, {changes:N0} status changes");

        await using (var analyze = dataSource.CreateCommand("ANALYZE products, users, orders, order_lines, order_status_changes"))
        {
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] ANALYZE done");

        return new SeedReport(products.Length, customers.Length, options.Orders, lines, changes,
            customers.Take(Math.Min(options.BigCustomers, customers.Length)).ToArray(), clock.Elapsed);
    }

    private async Task CheckDatabaseAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (options.Users < 1 || options.Products < 1 || options.Orders < 0 || options.BigCustomers < 0 || options.BatchSize < 1 || options.Workers < 1)
        {
            throw new ArgumentException("Products and users must be at least 1; orders, big customers at least 0; batch size and workers at least 1.");
        }
        await using var command = dataSource.CreateCommand(
            "SELECT to_regclass('public.order_status_changes') IS NOT NULL, EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@email))");
        try
        {
            command.Parameters.AddWithValue("email", SeedOptions.EmailOf(0));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(1))
            {
                throw new InvalidOperationException("This database is already seeded (seed-customer-0 exists). Reset the stack's data to seed again.");
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new InvalidOperationException("The schema is missing: start the stack (the API applies the migrations) before seeding.", ex);
        }
    }

    private async Task<Product[]> SeedProductsAsync(NpgsqlDataSource dataSource, DateTime now, CancellationToken cancellationToken)
    {
        var random = new Random(options.RandomSeed);
        var createdAt = SortedTimes(random, options.Products, now.AddYears(-3), now.AddYears(-2));
        var products = new Product[options.Products];

        await using var connection = await OpenForCopyAsync(dataSource, cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY products (id, name, description, price, currency, stock, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < products.Length; i++)
        {
            var product = new Product(
                Guid.CreateVersion7(createdAt[i]),
                $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]} {i + 1}",
                Math.Round(1m + (decimal)random.NextDouble() * 499m, 2));
            products[i] = product;
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(product.Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(product.Name, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync("Seeded product for volume tests.", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(product.Price, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync("EUR", NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(random.Next(50, 1_000), NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(createdAt[i], NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(createdAt[i], NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
        return products;
    }

    private async Task<Guid[]> SeedUsersAsync(NpgsqlDataSource dataSource, DateTime now, CancellationToken cancellationToken)
    {
        var random = new Random(options.RandomSeed + 1);
        var createdAt = SortedTimes(random, options.Users, now.AddYears(-3), now.AddYears(-2));
        // One real hash (PBKDF2, the ASP.NET Core Identity format) shared by all seeded customers:
        // hashing 100k passwords would take minutes and prove nothing.
        var passwordHash = new PasswordHasher<object>().HashPassword(new object(), SeedOptions.CustomerPassword);
        var ids = new Guid[options.Users];

        await using var connection = await OpenForCopyAsync(dataSource, cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY users (id, email, display_name, password_hash, role, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.CreateVersion7(createdAt[i]);
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(ids[i], NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(SeedOptions.EmailOf(i), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync($"Seed Customer {i}", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(passwordHash, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync("customer", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(createdAt[i], NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(createdAt[i], NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
        return ids;
    }

    private async Task<(long Lines, long Changes)> SeedOrdersAsync(
        NpgsqlDataSource dataSource, DateTime now, Product[] products, Guid[] customers, Stopwatch clock, CancellationToken cancellationToken)
    {
        var random = new Random(options.RandomSeed + 2);
        // Two years of history, oldest first; the newest order is a minute old.
        var createdAt = SortedTimes(random, options.Orders, now.AddYears(-2), now.AddMinutes(-1));
        var bigCustomers = Math.Min(options.BigCustomers, customers.Length);
        long lines = 0, changes = 0, done = 0;

        var batches = Enumerable.Range(0, (options.Orders + options.BatchSize - 1) / options.BatchSize);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var start = batch * options.BatchSize;
            var count = Math.Min(options.BatchSize, options.Orders - start);
            var orders = GenerateOrders(new Random(options.RandomSeed + 1000 + batch), createdAt.AsMemory(start, count), products, customers, bigCustomers);
            await using var connection = await OpenForCopyAsync(dataSource, ct);
            await CopyOrdersAsync(connection, orders, ct);
            Interlocked.Add(ref lines, orders.Sum(o => o.Lines.Length));
            Interlocked.Add(ref changes, orders.Sum(o => o.Timeline.Length));
            var total = Interlocked.Add(ref done, count);
            log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {total:N0} / {options.Orders:N0} orders");
        });
        return (lines, changes);
    }

    private sealed record SeedLine(Product Product, int Quantity);

    private sealed record SeedStatus(string Status, DateTime At, string? Reason);

    private sealed record SeedOrder(Guid Id, Guid CustomerId, DateTime CreatedAt, SeedLine[] Lines, SeedStatus[] Timeline)
    {
        public decimal Total => Lines.Sum(l => l.Product.Price * l.Quantity);
    }

    private static SeedOrder[] GenerateOrders(Random random, ReadOnlyMemory<DateTime> times, Product[] products, Guid[] customers, int bigCustomers)
    {
        var orders = new SeedOrder[times.Length];
        var span = times.Span;
        for (var i = 0; i < orders.Length; i++)
        {
            var createdAt = span[i];
            // 1 to 4 distinct products (2.5 lines per order on average).
            var lineCount = random.Next(1, 5);
            var lines = new SeedLine[lineCount];
            for (var l = 0; l < lineCount; l++)
            {
                Product product;
                do
                {
                    product = products[random.Next(products.Length)];
                }
                while (Array.Exists(lines, x => x is not null && x.Product.Id == product.Id));
                lines[l] = new SeedLine(product, random.Next(1, 4));
            }

            var outcome = random.NextDouble();
            var decidedAt = createdAt.AddMilliseconds(random.Next(500, 30_000));
            SeedStatus[] timeline = outcome switch
            {
                < 0.05 => [new("pending", createdAt, "Order placed")],
                < 0.10 => [new("pending", createdAt, "Order placed"), new("payment_failed", decidedAt, "Card declined")],
                _ => [new("pending", createdAt, "Order placed"), new("paid", decidedAt, null)],
            };
            orders[i] = new SeedOrder(Guid.CreateVersion7(createdAt), PickCustomer(random, customers, bigCustomers), createdAt, lines, timeline);
        }
        return orders;
    }

    private static Guid PickCustomer(Random random, Guid[] customers, int bigCustomers)
    {
        var u = random.NextDouble();
        if (bigCustomers > 0 && u < SeedOptions.BiggestCustomerShare)
        {
            return customers[0];
        }
        var others = u - SeedOptions.BiggestCustomerShare;
        if (bigCustomers > 1 && others >= 0 && others < SeedOptions.OtherBigCustomerShare * (bigCustomers - 1))
        {
            return customers[1 + (int)(others / SeedOptions.OtherBigCustomerShare)];
        }
        return customers.Length > bigCustomers ? customers[bigCustomers + random.Next(customers.Length - bigCustomers)] : customers[random.Next(customers.Length)];
    }

    private static async Task CopyOrdersAsync(NpgsqlConnection connection, SeedOrder[] orders, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY orders (id, customer_id, status, total, currency, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var order in orders)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(order.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(order.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(order.Timeline[^1].Status, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(order.Total, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync("EUR", NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(order.Timeline[^1].At, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY order_lines (order_id, line_no, product_id, product_name, unit_price, quantity) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var order in orders)
            {
                for (var l = 0; l < order.Lines.Length; l++)
                {
                    var line = order.Lines[l];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(order.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(l + 1, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(line.Product.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(line.Product.Name, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(line.Product.Price, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(line.Quantity, NpgsqlDbType.Integer, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY order_status_changes (order_id, status, at, reason) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var order in orders)
            {
                foreach (var change in order.Timeline)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(order.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(change.Status, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(change.At, NpgsqlDbType.TimestampTz, cancellationToken);
                    if (change.Reason is null)
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await copy.WriteAsync(change.Reason, NpgsqlDbType.Text, cancellationToken);
                    }
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
    }

    private Task<NpgsqlConnection> OpenForCopyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        BulkCopyConnection.OpenAsync(dataSource, log, cancellationToken);

    /// <summary>Random instants in [from, to), ascending, truncated to microseconds.</summary>
    private static DateTime[] SortedTimes(Random random, int count, DateTime from, DateTime to)
    {
        var range = (to - from).Ticks / 10;
        var micros = new long[count];
        for (var i = 0; i < count; i++)
        {
            micros[i] = random.NextInt64(range);
        }
        Array.Sort(micros);
        var times = new DateTime[count];
        for (var i = 0; i < count; i++)
        {
            times[i] = from.AddTicks(micros[i] * 10);
        }
        return times;
    }
}
