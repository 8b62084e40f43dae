extern alias ShopApi;

using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using ShopApi::Shop.Api.Catalog;
using ShopApi::Shop.Api.Paging;

namespace Shop.IntegrationTests.Catalog;

/// <summary>
/// At catalog scale (100k+ products), every list query the API runs is served by an index:
/// no sequential scan of products. Runs in a database of its own on the stack's Postgres, built
/// from the API's own migrations, so the volume does not leak into other tests.
/// </summary>
[Collection(ShopStackCollection.Name)]
public sealed class CatalogQueryPlanTests(ShopStackFixture stack, ITestOutputHelper output) : IAsyncLifetime
{
    private const int ProductCount = 120_000;
    private static readonly string[] Adjectives = ["Red", "Blue", "Green", "Vintage", "Compact", "Deluxe", "Rustic", "Smart", "Silent", "Heavy", "Light", "Classic"];
    private static readonly string[] Materials = ["oak", "steel", "linen", "ceramic", "glass", "wool", "bamboo", "copper", "leather", "cotton"];
    private static readonly string[] Nouns = ["kettle", "chair", "lamp", "novel", "teapot", "scarf", "drone", "puzzle", "rake", "speaker", "blanket", "mug", "kite", "clock"];

    private ScratchShopDatabase _database = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _database = await ScratchShopDatabase.CreateAsync(await stack.ConnectionStringAsync("shopdb"), "catalog_plans");
        _connectionString = _database.ConnectionString;
        await using var db = await _database.OpenAsync();
        await BulkLoadProductsAsync(db);
        await ExecuteAsync(db, "ANALYZE");
    }

    [Fact]
    public async Task Catalog_list_queries_use_indexes_and_never_scan_products()
    {
        await using var db = new NpgsqlConnection(_connectionString);
        await db.OpenAsync();
        var failures = new List<string>();
        foreach (var name in (string[])["plain", "category", "price range", "text search", "deep cursor", "everything"])
        {
            var (sql, parameters) = ProductSql.List(await QueryAsync(db, name));
            await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + sql, db);
            foreach (var (key, value) in parameters)
            {
                explain.Parameters.AddWithValue(key, value);
            }

            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
            var nodes = Flatten(plan).ToList();
            var seqScan = nodes.Any(n => NodeType(n) == "Seq Scan" && RelationOf(n) == "products");
            var indexed = nodes.Any(n => RelationOf(n) == "products" && NodeType(n) is "Index Scan" or "Index Only Scan" or "Bitmap Heap Scan");
            output.WriteLine($"{name}: " + string.Join(" > ", nodes.Select(n => $"{NodeType(n)} {RelationOf(n)} {IndexOf(n)}".TrimEnd())));
            if (seqScan || !indexed)
            {
                failures.Add($"{name}: " + string.Join(" | ", nodes.Select(n => $"{NodeType(n)} {RelationOf(n)} {IndexOf(n)}")));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<ProductListQuery> QueryAsync(NpgsqlConnection db, string name) => name switch
    {
        "plain" => new ProductListQuery(20, null, null, null, null, null),
        "category" => new ProductListQuery(20, null, "books", null, null, null),
        "price range" => new ProductListQuery(20, null, null, null, 100m, 120m),
        "text search" => new ProductListQuery(20, null, null, "copper kettle", null, null),
        "deep cursor" => new ProductListQuery(20, await CursorAtAsync(db, 100_000), null, null, null, null),
        "everything" => new ProductListQuery(20, await CursorAtAsync(db, 50_000), "kitchen", "steel", 10m, 500m),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The cursor a client holds after reading <paramref name="offset"/> products (page 5,000 at 20 per page for 100k).</summary>
    private static async Task<KeysetCursor> CursorAtAsync(NpgsqlConnection db, int offset)
    {
        await using var command = new NpgsqlCommand(
            "SELECT created_at, id FROM products WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET @offset LIMIT 1", db);
        command.Parameters.AddWithValue("offset", offset);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new KeysetCursor(reader.GetDateTime(0), reader.GetGuid(1));
    }

    /// <summary>Binary COPY: the fastest way into Postgres, about a second per 100k rows here.</summary>
    private static async Task BulkLoadProductsAsync(NpgsqlConnection db)
    {
        var categories = new List<Guid>();
        await using (var read = new NpgsqlCommand("SELECT id FROM categories", db))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                categories.Add(reader.GetGuid(0));
            }
        }

        var random = new Random(42);
        var start = DateTime.UtcNow.AddYears(-2);
        await using var writer = await db.BeginBinaryImportAsync(
            "COPY products (id, name, description, price, currency, stock, created_at, updated_at, deleted_at, category_id, metadata) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < ProductCount; i++)
        {
            var createdAt = start.AddSeconds(i * 500 + random.Next(500));
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(new DateTimeOffset(createdAt)), NpgsqlDbType.Uuid);
            await writer.WriteAsync($"{Pick(random, Adjectives)} {Pick(random, Materials)} {Pick(random, Nouns)} {i}", NpgsqlDbType.Text);
            await writer.WriteAsync("Seeded for the query plan test", NpgsqlDbType.Text);
            await writer.WriteAsync(Math.Round((decimal)(random.NextDouble() * 999) + 1, 2), NpgsqlDbType.Numeric);
            await writer.WriteAsync("EUR", NpgsqlDbType.Char);
            await writer.WriteAsync(random.Next(0, 500), NpgsqlDbType.Integer);
            await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
            if (random.Next(100) == 0)
            {
                await writer.WriteAsync(createdAt.AddDays(1), NpgsqlDbType.TimestampTz);
            }
            else
            {
                await writer.WriteNullAsync();
            }
            await writer.WriteAsync(categories[random.Next(categories.Count)], NpgsqlDbType.Uuid);
            await writer.WriteAsync("{}", NpgsqlDbType.Jsonb);
        }

        await writer.CompleteAsync();
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];

    private static IEnumerable<JsonElement> Flatten(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Flatten))
            {
                yield return child;
            }
        }
    }

    private static string? NodeType(JsonElement node) => node.GetProperty("Node Type").GetString();

    private static string? RelationOf(JsonElement node) => node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null;

    private static string? IndexOf(JsonElement node) => node.TryGetProperty("Index Name", out var index) ? index.GetString() : null;

    private static Task ExecuteAsync(NpgsqlConnection db, string sql) => ScratchShopDatabase.ExecuteAsync(db, sql);

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
