using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Catalog;

[Collection(ShopStackCollection.Name)]
public class CatalogApiTests(ShopStackFixture stack)
{
    [Fact]
    public async Task Categories_are_listed_with_id_slug_and_name()
    {
        using var api = stack.CreateHttpClient("api");

        var categories = await api.GetFromJsonAsync<JsonElement>("/api/v1/categories");

        var kitchen = categories.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "kitchen");
        Assert.Equal("Kitchen", kitchen.GetProperty("name").GetString());
        Assert.NotEqual(Guid.Empty, kitchen.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_created_product_is_returned_with_its_category_image_url_and_metadata()
    {
        using var admin = await stack.CreateAdminClientAsync();
        using var api = stack.CreateHttpClient("api");

        var created = await admin.Http.CreateProductAsync("Cast iron pan", 49.5m, "kitchen", metadata: new { colour = "black", sizes = new[] { 24, 28 } });
        var product = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{created.Id()}");

        Assert.Equal("Cast iron pan", product.GetProperty("name").GetString());
        Assert.Equal(49.5m, product.GetProperty("price").GetDecimal());
        Assert.Equal("EUR", product.GetProperty("currency").GetString());
        Assert.Equal("kitchen", product.GetProperty("category").GetProperty("slug").GetString());
        Assert.Equal($"/api/v1/products/{created.Id()}/image", product.GetProperty("imageUrl").GetString());
        Assert.Equal("black", product.GetProperty("metadata").GetProperty("colour").GetString());
        Assert.Equal(JsonValueKind.Null, (await admin.Http.CreateProductAsync("No category", 1m)).GetProperty("category").ValueKind);
    }

    [Fact]
    public async Task Pages_walk_every_matching_product_newest_first_without_repeats()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var token = CatalogTestData.UniqueToken();
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await admin.Http.CreateProductAsync($"Pager {token} {i}", 5m + i)).Id());
        }

        using var api = stack.CreateHttpClient("api");
        var seen = new List<Guid>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?pageSize=2&q={token}" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task Filters_by_category_and_price_range()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var token = CatalogTestData.UniqueToken();
        var cheapBook = (await admin.Http.CreateProductAsync($"Book {token} cheap", 5m, "books")).Id();
        var dearBook = (await admin.Http.CreateProductAsync($"Book {token} dear", 50m, "books")).Id();
        var toy = (await admin.Http.CreateProductAsync($"Toy {token}", 7m, "toys")).Id();

        using var api = stack.CreateHttpClient("api");
        async Task<Guid[]> IdsAsync(string filter) =>
            (await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={token}&{filter}"))
                .GetProperty("items").EnumerateArray().Select(p => p.Id()).ToArray();

        Assert.Equal([dearBook, cheapBook], await IdsAsync("category=books"));
        Assert.Equal([toy, cheapBook], await IdsAsync("minPrice=5&maxPrice=7"));
        Assert.Equal([dearBook], await IdsAsync("category=books&minPrice=10.01"));
        Assert.Empty(await IdsAsync("category=no-such-category"));
    }

    [Fact]
    public async Task An_update_replaces_the_product_and_shows_in_reads()
    {
        using var admin = await stack.CreateAdminClientAsync();
        using var api = stack.CreateHttpClient("api");
        var id = (await admin.Http.CreateProductAsync("Old name", 10m)).Id();
        await api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}"); // now cached

        using var updated = await admin.Http.PutAsJsonAsync($"/api/v1/products/{id}", new { name = "New name", price = 12.25m, categorySlug = "garden", stock = 3 });

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var product = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}");
        Assert.Equal("New name", product.GetProperty("name").GetString());
        Assert.Equal(12.25m, product.GetProperty("price").GetDecimal());
        Assert.Equal("garden", product.GetProperty("category").GetProperty("slug").GetString());
        Assert.True(product.GetProperty("updatedAt").GetDateTime() > product.GetProperty("createdAt").GetDateTime());
    }

    [Fact]
    public async Task A_deleted_product_leaves_the_catalog_but_stays_in_the_database()
    {
        using var admin = await stack.CreateAdminClientAsync();
        using var api = stack.CreateHttpClient("api");
        var token = CatalogTestData.UniqueToken();
        var id = (await admin.Http.CreateProductAsync($"Doomed {token}", 10m)).Id();
        Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={token}")).GetProperty("items").EnumerateArray());

        using var deleted = await admin.Http.DeleteAsync($"/api/v1/products/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/products/{id}")).StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?q={token}")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.DeleteAsync($"/api/v1/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.PutAsJsonAsync($"/api/v1/products/{id}", new { name = "Back", price = 1m })).StatusCode);

        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT deleted_at IS NOT NULL FROM products WHERE id = @id", db);
        query.Parameters.AddWithValue("id", id);
        Assert.Equal(true, await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Only_admins_may_change_the_catalog()
    {
        using var customer = await stack.CreateCustomerClientAsync();
        using var anonymous = stack.CreateHttpClient("api");
        var body = new { name = "Sneaky", price = 1m };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/products", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.PostAsJsonAsync("/api/v1/products", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.PutAsJsonAsync($"/api/v1/products/{Guid.CreateVersion7()}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.DeleteAsync($"/api/v1/products/{Guid.CreateVersion7()}")).StatusCode);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("cursor=%27%3B%20DROP%20TABLE%20products%3B--", "cursor")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("pageSize=99999999999999999999999999", "pageSize")]
    [InlineData("minPrice=abc", "minPrice")]
    [InlineData("maxPrice=1e999", "maxPrice")]
    [InlineData("minPrice=-1", "minPrice")]
    [InlineData("minPrice=10&maxPrice=5", "maxPrice")]
    public async Task Bad_list_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.GetAsync($"/api/v1/products?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
    }

    [Fact]
    public async Task A_page_size_over_100_is_capped_at_100()
    {
        var token = CatalogTestData.UniqueToken();
        await using (var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb")))
        {
            await db.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO products (id, name, price, stock) SELECT gen_random_uuid(), @name || ' ' || n, 1, 1 FROM generate_series(1, 101) n", db);
            insert.Parameters.AddWithValue("name", $"Bulk {token}");
            await insert.ExecuteNonQueryAsync();
        }
        using var api = stack.CreateHttpClient("api");

        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/products?pageSize=100000&q={token}");

        Assert.Equal(100, page.GetProperty("items").GetArrayLength());
        Assert.NotNull(page.GetProperty("nextCursor").GetString());
    }

    [Fact]
    public async Task An_unknown_category_in_a_product_is_a_400_naming_categorySlug()
    {
        using var admin = await stack.CreateAdminClientAsync();

        using var response = await admin.Http.PostAsJsonAsync("/api/v1/products", new { name = "Orphan", price = 1m, categorySlug = "no-such-thing" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("categorySlug", (await response.Content.ReadFromJsonAsync<JsonElement>()).ErrorFields());
    }
}
