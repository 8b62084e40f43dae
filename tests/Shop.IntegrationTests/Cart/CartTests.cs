using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Cart;

[Collection(ShopStackCollection.Name)]
public class CartTests(ShopStackFixture stack)
{
    private static Task<HttpResponseMessage> PutLineAsync(HttpClient http, object productId, object? quantity) =>
        http.PutAsJsonAsync($"/api/v1/cart/lines/{productId}", new { quantity });

    [Fact]
    public async Task A_new_customer_has_an_empty_cart()
    {
        using var customer = await stack.CreateCustomerClientAsync();

        var cart = await customer.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart");

        Assert.Equal(0, cart.GetProperty("lines").GetArrayLength());
        Assert.Equal(0m, cart.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Putting_a_line_adds_it_with_catalog_name_and_price_and_putting_it_again_changes_the_quantity()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var kettle = await db.CreateProductAsync(price: 19.99m, name: "Cart test kettle");
        var mug = await db.CreateProductAsync(price: 4.50m, name: "Cart test mug");
        using var customer = await stack.CreateCustomerClientAsync();

        using var first = await PutLineAsync(customer.Http, kettle, 2);
        using var second = await PutLineAsync(customer.Http, mug, 1);
        using var changed = await PutLineAsync(customer.Http, kettle, 3);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var cart = await changed.JsonAsync();
        var lines = cart.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("productId").GetGuid());
        Assert.Equal(2, lines.Count);
        Assert.Equal("Cart test kettle", lines[kettle].GetProperty("name").GetString());
        Assert.Equal(19.99m, lines[kettle].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(3, lines[kettle].GetProperty("quantity").GetInt32());
        Assert.Equal(59.97m, lines[kettle].GetProperty("lineTotal").GetDecimal());
        Assert.Equal("EUR", lines[kettle].GetProperty("currency").GetString());
        Assert.Equal(64.47m, cart.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", cart.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task The_cart_shows_the_current_catalog_price_and_drops_deleted_products()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var repriced = await db.CreateProductAsync(price: 10m);
        var deleted = await db.CreateProductAsync(price: 7m);
        using var customer = await stack.CreateCustomerClientAsync();
        (await PutLineAsync(customer.Http, repriced, 2)).Dispose();
        (await PutLineAsync(customer.Http, deleted, 1)).Dispose();

        await db.ExecuteAsync("UPDATE products SET price = 12.25 WHERE id = @id", ("id", repriced));
        await db.ExecuteAsync("UPDATE products SET deleted_at = now() WHERE id = @id", ("id", deleted));
        var cart = await customer.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart");

        var line = Assert.Single(cart.GetProperty("lines").EnumerateArray());
        Assert.Equal(repriced, line.GetProperty("productId").GetGuid());
        Assert.Equal(12.25m, line.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(24.50m, cart.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Removing_a_line_and_clearing_the_cart()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var a = await db.CreateProductAsync();
        var b = await db.CreateProductAsync();
        using var customer = await stack.CreateCustomerClientAsync();
        (await PutLineAsync(customer.Http, a, 1)).Dispose();
        (await PutLineAsync(customer.Http, b, 1)).Dispose();

        using var removed = await customer.Http.DeleteAsync($"/api/v1/cart/lines/{a}");
        var afterRemove = await removed.JsonAsync();
        using var cleared = await customer.Http.DeleteAsync("/api/v1/cart");
        var afterClear = await customer.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(b, Assert.Single(afterRemove.GetProperty("lines").EnumerateArray()).GetProperty("productId").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(0, afterClear.GetProperty("lines").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100")]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("100000000000000000000")]
    [InlineData("null")]
    public async Task A_quantity_outside_1_to_99_is_a_validation_problem_naming_quantity(string quantity)
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await customer.Http.PutAsync($"/api/v1/cart/lines/{product}",
            new StringContent($"{{\"quantity\": {quantity}}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("quantity", await response.ProblemFieldsAsync());
        Assert.Equal(0, (await customer.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart")).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task A_product_id_that_is_not_a_uuid_is_a_validation_problem_naming_it()
    {
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await PutLineAsync(customer.Http, Uri.EscapeDataString("1 OR 1=1; DROP TABLE products"), 1);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("productId", await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task An_unknown_or_deleted_product_is_a_404_problem()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var deleted = await db.CreateProductAsync();
        await db.ExecuteAsync("UPDATE products SET deleted_at = now() WHERE id = @id", ("id", deleted));
        using var customer = await stack.CreateCustomerClientAsync();

        using var unknown = await PutLineAsync(customer.Http, Guid.CreateVersion7(), 1);
        using var gone = await PutLineAsync(customer.Http, deleted, 1);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Another_customer_does_not_see_my_cart()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var me = await stack.CreateCustomerClientAsync();
        using var someoneElse = await stack.CreateCustomerClientAsync();
        (await PutLineAsync(me.Http, product, 5)).Dispose();

        var theirs = await someoneElse.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart");
        var mine = await me.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/cart");

        Assert.Equal(0, theirs.GetProperty("lines").GetArrayLength());
        Assert.Equal(1, mine.GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task A_cart_holds_at_most_100_distinct_products()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var products = await db.CreateProductsAsync(101);
        using var customer = await stack.CreateCustomerClientAsync();
        foreach (var product in products.Take(100))
        {
            using var added = await PutLineAsync(customer.Http, product, 1);
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        using var oneTooMany = await PutLineAsync(customer.Http, products[100], 1);
        using var changeExisting = await PutLineAsync(customer.Http, products[0], 7);

        Assert.Equal(HttpStatusCode.Conflict, oneTooMany.StatusCode);
        Assert.Equal("application/problem+json", oneTooMany.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, changeExisting.StatusCode);
        Assert.Equal(100, (await changeExisting.JsonAsync()).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task A_cart_expires_30_days_after_it_was_last_used()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var customer = await stack.CreateCustomerClientAsync();
        (await PutLineAsync(customer.Http, product, 1)).Dispose();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.ConnectionStringAsync("cache"));
        var key = $"cart:{customer.UserId:N}";
        await redis.GetDatabase().KeyExpireAsync(key, TimeSpan.FromDays(1));

        (await customer.Http.GetAsync("/api/v1/cart")).Dispose(); // reading slides the expiry
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.Equal(RedisType.Hash, await redis.GetDatabase().KeyTypeAsync(key));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task The_cart_requires_a_signed_in_customer()
    {
        using var anonymous = stack.CreateHttpClient("api");

        using var response = await anonymous.GetAsync("/api/v1/cart");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
