extern alias ShopApi;

using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using ShopApi::Shop.Api.Paging;
using Shop.Testing;

// Page 1 vs page 10,000 of GET /api/v1/products over real HTTP, on a stack with enough products
// for 10,000 pages. Usage:
//   dotnet run -c Release --project benchmarks/Shop.Benchmarks.CatalogPages -- [products] [requests]
// Every request uses a distinct cursor so none is answered from the catalog cache: both sides
// pay a real Postgres query. "Page 1" starts after one of the first rows, "page 10,000" after
// row 199,980 + i (pageSize 20); the two are interleaved so machine noise hits both alike.
const int PageSize = 20;
const int DeepPage = 10_000;
var productCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 220_000;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
var deepOffset = (DeepPage - 1) * PageSize;
if (productCount < deepOffset + requests + PageSize)
{
    throw new ArgumentException($"Need at least {deepOffset + requests + PageSize} products for page {DeepPage}.");
}

Console.WriteLine($"Starting the stack (throwaway data)...");
await using var app = await ShopApp.StartAsync<Projects.ShopAspire_AppHost>(["api"], TimeSpan.FromMinutes(4));

var connectionString = await app.ConnectionStringAsync("shopdb");
var seeding = Stopwatch.StartNew();
await SeedAsync(connectionString, productCount);
Console.WriteLine($"Seeded {productCount:N0} products with binary COPY + ANALYZE in {seeding.Elapsed.TotalSeconds:0.0} s");

var shallow = await CursorsAsync(connectionString, 0, requests);
var deep = await CursorsAsync(connectionString, deepOffset - 1, requests);

using var http = app.CreateHttpClient("api");
async Task<double> TimeAsync(KeysetCursor cursor)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await http.GetAsync($"/api/v1/products?pageSize={PageSize}&cursor={cursor.Encode()}");
    await response.Content.ReadAsByteArrayAsync();
    response.EnsureSuccessStatusCode();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

// Warm-up (JIT, connection pools, Postgres buffers) on cursors not measured afterwards.
for (var i = 0; i < 30; i++)
{
    await TimeAsync(shallow[^(i + 1)]);
    await TimeAsync(deep[^(i + 1)]);
}

var page1 = new List<double>();
var page10k = new List<double>();
for (var i = 0; i < requests - 30; i++)
{
    page1.Add(await TimeAsync(shallow[i]));
    page10k.Add(await TimeAsync(deep[i]));
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
}

Console.WriteLine($"{"",-14}{"median ms",12}{"p95 ms",10}   ({page1.Count} requests each, cache misses, interleaved)");
Console.WriteLine($"{"page 1",-14}{Percentile(page1, 0.5),12:0.00}{Percentile(page1, 0.95),10:0.00}");
Console.WriteLine($"{"page 10,000",-14}{Percentile(page10k, 0.5),12:0.00}{Percentile(page10k, 0.95),10:0.00}");
Console.WriteLine($"ratio page 10,000 / page 1 (median): {Percentile(page10k, 0.5) / Percentile(page1, 0.5):0.00}");

static async Task SeedAsync(string connectionString, int count)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    var random = new Random(7);
    var start = DateTime.UtcNow.AddYears(-3);
    await using (var writer = await db.BeginBinaryImportAsync(
        "COPY products (id, name, description, price, currency, stock, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
    {
        for (var i = 0; i < count; i++)
        {
            var createdAt = start.AddSeconds(i * 400 + random.Next(400));
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(new DateTimeOffset(createdAt)), NpgsqlDbType.Uuid);
            await writer.WriteAsync($"Benchmark product {i}", NpgsqlDbType.Text);
            await writer.WriteAsync("Seeded by Shop.Benchmarks.CatalogPages", NpgsqlDbType.Text);
            await writer.WriteAsync(Math.Round((decimal)(random.NextDouble() * 500) + 1, 2), NpgsqlDbType.Numeric);
            await writer.WriteAsync("EUR", NpgsqlDbType.Char);
            await writer.WriteAsync(random.Next(0, 100), NpgsqlDbType.Integer);
            await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    await using var analyze = new NpgsqlCommand("ANALYZE products", db);
    await analyze.ExecuteNonQueryAsync();
}

// The cursors a client holds after reading `offset + 1 + i` rows, for i in [0, count).
static async Task<List<KeysetCursor>> CursorsAsync(string connectionString, int offset, int count)
{
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var command = new NpgsqlCommand(
        "SELECT created_at, id FROM products WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET @offset LIMIT @count", db);
    command.Parameters.AddWithValue("offset", offset);
    command.Parameters.AddWithValue("count", count);
    var cursors = new List<KeysetCursor>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        cursors.Add(new KeysetCursor(reader.GetDateTime(0), reader.GetGuid(1)));
    }

    return cursors;
}
