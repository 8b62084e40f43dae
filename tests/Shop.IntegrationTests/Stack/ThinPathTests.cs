using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Stack;

/// <summary>One write crossing every part: API -> Postgres -> RabbitMQ -> worker -> Postgres -> API -> web page.</summary>
[Collection(ShopStackCollection.Name)]
public class ThinPathTests(ShopStackFixture stack)
{
    private static readonly TimeSpan EventBudget = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_created_product_reaches_the_worker_over_RabbitMQ_and_shows_on_the_web_page()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var api = admin.Http;
        using var web = stack.CreateHttpClient("web");
        var name = $"Thin path kettle {Guid.NewGuid():N}"[..30];

        using var created = await api.PostAsJsonAsync("/api/v1/products", new { name, description = "Boils water", price = 19.99m, currency = "EUR", stock = 5 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var product = await created.Content.ReadFromJsonAsync<JsonElement>();
        var productId = product.GetProperty("id").GetGuid();
        Assert.NotNull(created.Headers.Location);

        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using (var stored = new NpgsqlCommand("SELECT name FROM products WHERE id = @id", db))
        {
            stored.Parameters.AddWithValue("id", productId);
            Assert.Equal(name, await stored.ExecuteScalarAsync());
        }

        var activity = await Eventually.GetAsync(async () =>
        {
            var items = await api.GetFromJsonAsync<JsonElement>("/api/v1/catalog/activity?limit=50");
            return items.EnumerateArray().Where(i => i.GetProperty("productId").GetGuid() == productId).Select(i => (JsonElement?)i).FirstOrDefault();
        }, EventBudget, "the worker recorded the ProductCreated event");
        Assert.Equal(name, activity!.Value.GetProperty("productName").GetString());

        var page = await web.GetStringAsync("/");
        Assert.Contains(WebUtility.HtmlEncode(name), page);
        Assert.Contains("Recent activity", page);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_and_writes_nothing()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var api = admin.Http;
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        var before = await CountProductsAsync(db);

        using var response = await api.PostAsync("/api/v1/products", new StringContent("{\"name\": \"x\", \"price\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountProductsAsync(db));
    }

    [Fact]
    public async Task An_invalid_product_is_a_validation_problem_naming_each_field()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var api = admin.Http;

        using var response = await api.PostAsJsonAsync("/api/v1/products", new { name = "", price = -1m, currency = "EURO", stock = -3 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToArray();
        Assert.Contains("name", errors);
        Assert.Contains("price", errors);
        Assert.Contains("currency", errors);
        Assert.Contains("stock", errors);
    }

    [Fact]
    public async Task An_unknown_product_is_404()
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.GetAsync($"/api/v1/products/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_duplicated_product_event_is_recorded_once_and_a_malformed_one_is_dead_lettered()
    {
        using var probes = new Async.AsyncProbes(stack);
        var eventId = Guid.CreateVersion7();
        var productId = Guid.CreateVersion7();
        var garbageId = Guid.CreateVersion7().ToString();
        var body = Async.AsyncProbes.Json(new { eventId, productId, name = "Twice told kettle" });

        await probes.PublishAsync("catalog.product-created", garbageId, "{\"eventId\": 7, nope"u8.ToArray());
        await Task.WhenAll(
            probes.PublishAsync("catalog.product-created", eventId.ToString(), body),
            probes.PublishAsync("catalog.product-created", eventId.ToString(), body));

        var letter = await Eventually.GetAsync(async () =>
        {
            var list = await probes.Worker.GetFromJsonAsync<JsonElement>("/api/v1/admin/dead-letters?consumer=catalog-activity");
            return list.EnumerateArray().Where(l => l.GetProperty("messageId").GetString() == garbageId).Select(l => (JsonElement?)l).FirstOrDefault();
        }, EventBudget, "the malformed event in the catalog-activity dead-letter queue");
        Assert.Equal("catalog.product-created", letter!.Value.GetProperty("routingKey").GetString());
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT count(*) FROM catalog_activity WHERE product_id = @id", db);
        rows.Parameters.AddWithValue("id", productId);
        await Eventually.GetAsync(async () => (long)(await rows.ExecuteScalarAsync())! > 0 ? "" : null, EventBudget, "the event recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a duplicate, were there one, lands by now
        Assert.Equal(1L, (long)(await rows.ExecuteScalarAsync())!);
    }

    private static async Task<long> CountProductsAsync(NpgsqlConnection db)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM products", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
