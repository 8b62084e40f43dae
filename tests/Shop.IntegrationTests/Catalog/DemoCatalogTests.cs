using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Catalog;

/// <summary>
/// A developer's first start shows a shop with things in it: the api seeds the demo catalog in
/// Development (the stack under test runs in Development), once, however many replicas start.
/// </summary>
[Collection(ShopStackCollection.Name)]
public class DemoCatalogTests(ShopStackFixture stack)
{
    private const long DemoProductCount = 100;
    private const string DemoFilter = "metadata @> '{\"demo\": true}'";

    [Fact]
    public async Task The_stack_started_two_api_replicas_together_and_has_the_demo_catalog_once()
    {
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();

        Assert.Equal(DemoProductCount, await ScalarAsync(db, $"SELECT count(*) FROM products WHERE {DemoFilter}"));
        Assert.Equal(DemoProductCount, await ScalarAsync(db, $"SELECT count(DISTINCT name) FROM products WHERE {DemoFilter}"));
        Assert.Equal(0L, await ScalarAsync(db, $"SELECT count(*) FROM products WHERE {DemoFilter} AND (category_id IS NULL OR description IS NULL)"));
        Assert.Equal(6L, await ScalarAsync(db, $"SELECT count(DISTINCT category_id) FROM products WHERE {DemoFilter}"));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM data_seeds WHERE name = 'demo-catalog'"));

        // Shown like any product: in its category, with its generated picture.
        using var api = stack.CreateHttpClient("api");
        var kitchen = await api.GetFromJsonAsync<JsonElement>("/api/v1/products?category=kitchen&q=Skillet");
        var skillet = kitchen.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Cast Iron Skillet 28 cm");
        Assert.Equal(39.90m, skillet.GetProperty("price").GetDecimal());
        using var image = await api.GetAsync(skillet.GetProperty("imageUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/svg+xml", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_fresh_database_is_seeded_once_by_replicas_starting_together_and_not_at_all_when_skipped()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var seeded = $"demo_{token}";
        var skipped = $"nodemo_{token}";
        await using var admin = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"CREATE DATABASE {seeded}");
        await ExecuteAsync(admin, $"CREATE DATABASE {skipped}");
        try
        {
            // Two replicas on an empty database, started at the same moment, then a third later (a restart).
            Task<ApiProcess>[] together = [StartApiAsync(seeded), StartApiAsync(seeded)];
            try
            {
                var started = await Task.WhenAll(together);
                await Task.WhenAll(started.Select(WaitUntilReadyAsync));
            }
            finally
            {
                foreach (var starting in together.Where(t => t.IsCompletedSuccessfully))
                {
                    await (await starting).DisposeAsync();
                }
            }
            await using (var restarted = await StartApiAsync(seeded))
            {
                await WaitUntilReadyAsync(restarted);
            }
            await using (var skipping = await StartApiAsync(skipped, seedDemoCatalog: false))
            {
                await WaitUntilReadyAsync(skipping);
            }

            await using (var db = await OpenAsync(seeded))
            {
                Assert.Equal(DemoProductCount, await ScalarAsync(db, "SELECT count(*) FROM products"));
                Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM data_seeds WHERE name = 'demo-catalog'"));
            }
            await using (var db = await OpenAsync(skipped))
            {
                Assert.Equal(0L, await ScalarAsync(db, "SELECT count(*) FROM products"));
                Assert.Equal(0L, await ScalarAsync(db, "SELECT count(*) FROM data_seeds"));
            }
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {seeded} WITH (FORCE)");
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {skipped} WITH (FORCE)");
        }
    }

    private async Task<string> ConnectionStringToAsync(string database) =>
        new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync("shopdb")) { Database = database }.ConnectionString;

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(await ConnectionStringToAsync(database));
        await connection.OpenAsync();
        return connection;
    }

    private async Task<ApiProcess> StartApiAsync(string database, bool seedDemoCatalog = true) =>
        await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__shopdb"] = await ConnectionStringToAsync(database),
            ["Shop__SeedDemoCatalog"] = seedDemoCatalog ? "true" : "false",
        });

    /// <summary>Ready: migrations applied and the demo catalog in (or skipped).</summary>
    private static async Task WaitUntilReadyAsync(ApiProcess api)
    {
        using var client = api.CreateHttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            using var health = await client.GetAsync("/health");
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Not ready: {await health.Content.ReadAsStringAsync()}\n{api.Output}");
            await Task.Delay(250);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }
}
