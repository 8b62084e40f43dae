using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Catalog;

/// <summary>Whatever a client sends gets a 4xx problem (never a 500) and writes nothing.</summary>
[Collection(ShopStackCollection.Name)]
public class BadInputTests(ShopStackFixture stack)
{
    [Theory]
    [InlineData("""{"name": "Kettle", "price": """, "price")]
    [InlineData("""{"name": "Kettle", "price": "cheap"}""", "price")]
    [InlineData("""{"name": 42, "price": 1}""", "name")]
    [InlineData("""{"name": "Kettle", "price": 1, "stock": 99999999999}""", "stock")]
    [InlineData("""{"name": "Kettle", "price": 1e400}""", "price")]
    [InlineData("""{"name": "Kettle", "price": 1, "stock": 1.5}""", "stock")]
    [InlineData("""{"name": "Kettle", "price": 1, "metadata": "not an object"}""", "metadata")]
    [InlineData("""{"name": "Kettle", "price": 1, "imageUrl": "javascript:alert(1)"}""", "imageUrl")]
    [InlineData("""["not", "an", "object"]""", "body")]
    [InlineData("""not json at all""", "body")]
    public async Task A_bad_product_body_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var admin = await stack.CreateAdminClientAsync();
        var before = await CountProductsAsync();

        using var response = await admin.Http.PostAsync("/api/v1/products", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
        Assert.Equal(before, await CountProductsAsync());
    }

    // The two 500s of the issue's hostile-input run: U+0000, which Postgres text cannot store.
    [Theory]
    [InlineData("""{"name": "Kettle\u0000", "price": 1}""", "name")]
    [InlineData("""{"name": "Kettle", "description": "Boils\u0000water", "price": 1}""", "description")]
    [InlineData("""{"name": "Kettle", "price": 1, "metadata": {"note": "\u0000"}}""", "metadata")]
    [InlineData("""{"name": "Kettle", "price": 1, "metadata": {"\u0000": "x"}}""", "metadata")]
    [InlineData("""{"name": "Kettle\ud800", "price": 1}""", "name")]
    [InlineData("""{"name": "Kettle\u0085", "price": 1}""", "name")]
    public async Task Text_the_database_cannot_store_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var admin = await stack.CreateAdminClientAsync();
        var before = await CountProductsAsync();

        using var response = await admin.Http.PostAsync("/api/v1/products", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
        Assert.Equal(before, await CountProductsAsync());
    }

    [Theory]
    [InlineData("/api/v1/products?q=kettle%00", "q")]
    [InlineData("/api/v1/products?category=%00", "category")]
    [InlineData("/api/v1/products?q=%FF", "q")]
    [InlineData("/api/v1/catalog/activity?limit=abc", "limit")]
    public async Task A_query_value_the_api_cannot_use_is_a_400_naming_the_parameter(string url, string field)
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        using var admin = await stack.CreateAdminClientAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products") { Content = new StringContent("", Encoding.UTF8, "application/json") };
        using var response = await admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body", (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
    }

    [Fact]
    public async Task A_body_over_1_MB_is_a_413_problem()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var huge = JsonSerializer.Serialize(new { name = "Big", price = 1m, description = new string('x', 10 * 1024 * 1024) });

        using var response = await admin.Http.PostAsync("/api/v1/products", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_chunked_body_over_1_MB_is_a_413_problem()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var huge = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { name = "Big", price = 1m, description = new string('x', 2 * 1024 * 1024) }));
        // No Content-Length: the size is only discovered while reading.
        using var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var admin = await stack.CreateAdminClientAsync();

        using var response = await admin.Http.PostAsync("/api/v1/products", new StringContent("name=Kettle&price=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Sql_and_script_fragments_are_stored_and_echoed_as_plain_text()
    {
        using var admin = await stack.CreateAdminClientAsync();
        using var api = stack.CreateHttpClient("api");
        const string name = "Robert'); DROP TABLE products;-- <script>alert('x')</script>";

        var created = await admin.Http.CreateProductAsync(name, 3m, metadata: new { note = "'; DELETE FROM users; --" });
        using var response = await api.GetAsync($"/api/v1/products/{created.Id()}");
        var raw = await response.Content.ReadAsStringAsync();
        var product = JsonDocument.Parse(raw).RootElement;

        Assert.Equal(name, product.GetProperty("name").GetString());
        Assert.Equal("'; DELETE FROM users; --", product.GetProperty("metadata").GetProperty("note").GetString());
        Assert.DoesNotContain("<script>", raw); // JSON-escaped, so no HTML sniffing can run it
        var search = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={Uri.EscapeDataString("'); DROP TABLE")}");
        Assert.Contains(search.GetProperty("items").EnumerateArray(), p => p.Id() == created.Id());
        var wildcard = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={Uri.EscapeDataString("%_%")}&pageSize=5");
        Assert.DoesNotContain(wildcard.GetProperty("items").EnumerateArray(), p => p.Id() == created.Id());
        Assert.True(await CountProductsAsync() > 0); // the table is still there
    }

    [Theory]
    [InlineData("GET", "/api/v1/products/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/api/v1/products/not-a-guid")]
    [InlineData("GET", "/api/v1/products/99999999999999999999999999999999")]
    [InlineData("GET", "/api/v1/no-such-route")]
    [InlineData("DELETE", "/api/v1/categories")]
    public async Task Unknown_ids_and_routes_are_4xx_problems(string method, string path)
    {
        using var admin = await stack.CreateAdminClientAsync();

        using var response = await admin.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<long> CountProductsAsync()
    {
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM products", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
