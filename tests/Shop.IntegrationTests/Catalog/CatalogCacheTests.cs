extern alias ShopApi;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;
using ShopApi::Shop.Api.Catalog;

namespace Shop.IntegrationTests.Catalog;

/// <summary>Catalog reads through HybridCache: stampede protection, invalidation on every replica, Redis outages.</summary>
[Collection(ShopStackCollection.Name)]
public class CatalogCacheTests(ShopStackFixture stack)
{
    private const int ConcurrentRequests = 100;
    private static readonly TimeSpan InvalidationBudget = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Hundred_concurrent_misses_for_one_product_cause_one_database_query()
    {
        await using var host = new InProcessApi(stack);
        using var client = host.CreateClient();
        (await client.GetAsync("/api/v1/categories")).EnsureSuccessStatusCode(); // host fully started
        var id = await InsertProductBehindTheApisBackAsync($"Stampede {CatalogTestData.UniqueToken()}");
        using var commands = new NpgsqlCommandCounter(ProductSql.FindByIdTag);

        var responses = await Task.WhenAll(Enumerable.Range(0, ConcurrentRequests).Select(_ => client.GetAsync($"/api/v1/products/{id}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, commands.Count);
    }

    [Fact]
    public async Task Hundred_concurrent_misses_for_one_catalog_page_cause_one_database_query()
    {
        await using var host = new InProcessApi(stack);
        using var client = host.CreateClient();
        (await client.GetAsync("/api/v1/categories")).EnsureSuccessStatusCode();
        var token = CatalogTestData.UniqueToken();
        var id = await InsertProductBehindTheApisBackAsync($"Stampede page {token}");
        using var commands = new NpgsqlCommandCounter(ProductSql.ListTag);

        var pages = await Task.WhenAll(Enumerable.Range(0, ConcurrentRequests).Select(_ => client.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={token}")));

        Assert.All(pages, page => Assert.Equal(id, page.GetProperty("items")[0].Id()));
        Assert.Equal(1, commands.Count);
    }

    [Fact]
    public async Task An_admin_update_on_one_replica_is_visible_on_the_other_within_a_second()
    {
        await using var replica = await ApiProcess.StartAsync(stack);
        using var admin = await stack.CreateAdminClientAsync();
        using var first = stack.CreateHttpClient("api");
        using var second = replica.CreateHttpClient();
        var token = CatalogTestData.UniqueToken();
        var id = (await admin.Http.CreateProductAsync($"Before {token}", 10m)).Id();
        foreach (var api in new[] { first, second })
        {
            // Both replicas now hold the product and the search page in their L1.
            Assert.Equal($"Before {token}", await NameAsync(api, id));
            Assert.Equal($"Before {token}", await FirstNameOnPageAsync(api, token));
        }

        (await admin.Http.PutAsJsonAsync($"/api/v1/products/{id}", new { name = $"After {token}", price = 11m })).EnsureSuccessStatusCode();
        var changed = Stopwatch.StartNew();

        await Eventually.GetAsync(async () => await NameAsync(second, id) == $"After {token}" ? "" : null, InvalidationBudget, "the other replica serves the new name");
        await Eventually.GetAsync(async () => await FirstNameOnPageAsync(second, token) == $"After {token}" ? "" : null, InvalidationBudget - changed.Elapsed, "the other replica's page shows the new name");
        Assert.Equal($"After {token}", await NameAsync(first, id));
    }

    [Fact]
    public async Task An_admin_delete_on_one_replica_removes_the_product_from_the_other_within_a_second()
    {
        await using var replica = await ApiProcess.StartAsync(stack);
        using var admin = await stack.CreateAdminClientAsync();
        using var second = replica.CreateHttpClient();
        var id = (await admin.Http.CreateProductAsync($"Doomed {CatalogTestData.UniqueToken()}", 10m)).Id();
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/api/v1/products/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/products/{id}")).StatusCode);

        await Eventually.GetAsync(async () => (await second.GetAsync($"/api/v1/products/{id}")).StatusCode == HttpStatusCode.NotFound ? "" : null,
            InvalidationBudget, "the other replica answers 404");
    }

    [Fact]
    public async Task With_redis_down_catalog_reads_fall_back_to_the_database()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var token = CatalogTestData.UniqueToken();
        var id = (await admin.Http.CreateProductAsync($"No cache {token}", 10m)).Id();
        var deadRedis = $"127.0.0.1:{ApiProcess.FreeTcpPort()}";
        await using var api = await ApiProcess.StartAsync(stack, new Dictionary<string, string> { ["ConnectionStrings__cache"] = deadRedis });
        using var client = api.CreateHttpClient();

        for (var i = 0; i < 3; i++)
        {
            using var list = await client.GetAsync($"/api/v1/products?q={token}");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal(id, (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].Id());
            using var one = await client.GetAsync($"/api/v1/products/{id}");
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/products")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/categories")).StatusCode);
        }
    }

    private static async Task<string?> NameAsync(HttpClient api, Guid id) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}")).GetProperty("name").GetString();

    private static async Task<string?> FirstNameOnPageAsync(HttpClient api, string token) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={token}")).GetProperty("items")[0].GetProperty("name").GetString();

    /// <summary>Straight into Postgres: no API saw it, so no cache holds it.</summary>
    private async Task<Guid> InsertProductBehindTheApisBackAsync(string name)
    {
        var id = Guid.CreateVersion7();
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO products (id, name, price, stock) VALUES (@id, @name, 9.99, 1)", db);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("name", name);
        await insert.ExecuteNonQueryAsync();
        return id;
    }
}
