using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

[Collection(ShopStackCollection.Name)]
public class OrderHistoryTests(ShopStackFixture stack)
{
    [Fact]
    public async Task Order_history_lists_own_orders_newest_first_with_lines_and_timeline_across_keyset_pages()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(price: 2m, stock: 100, name: "History pencil");
        var other = await db.CreateProductAsync(price: 5m, stock: 100, name: "History eraser");
        using var customer = await stack.CreateCustomerClientAsync();
        var placed = new List<Guid>();
        for (var i = 1; i <= 5; i++)
        {
            using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((other, 1), (product, i)));
            placed.Add((await response.JsonAsync()).GetProperty("id").GetGuid());
        }
        // Renaming or repricing later must not change history.
        await db.ExecuteAsync("UPDATE products SET name = 'Renamed', price = 99 WHERE id = @id", ("id", product));

        var seen = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await customer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders?pageSize=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(placed), seen.Select(o => o.GetProperty("id").GetGuid()));
        var oldest = seen[^1];
        var lines = oldest.GetProperty("lines").EnumerateArray().ToArray();
        Assert.Equal([other, product], lines.Select(l => l.GetProperty("productId").GetGuid()));
        Assert.Equal("History pencil", lines[1].GetProperty("productName").GetString());
        Assert.Equal(2m, lines[1].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(7m, oldest.GetProperty("total").GetDecimal());
        var timeline = Assert.Single(oldest.GetProperty("timeline").EnumerateArray());
        Assert.Equal("pending", timeline.GetProperty("status").GetString());
        Assert.Equal(oldest.GetProperty("createdAt").GetDateTime(), timeline.GetProperty("at").GetDateTime());
    }

    [Fact]
    public async Task Another_customers_order_is_404_and_missing_from_their_history()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var owner = await stack.CreateCustomerClientAsync();
        using var stranger = await stack.CreateCustomerClientAsync();
        using var placed = await Checkout.PostAsync(owner.Http, Checkout.Lines((product, 1)));
        var location = placed.Headers.Location!;

        using var theirs = await stranger.Http.GetAsync(location);
        var strangerHistory = await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders");
        using var mine = await owner.Http.GetAsync(location);
        using var unknown = await owner.Http.GetAsync($"/api/v1/orders/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(0, strangerHistory.GetProperty("items").GetArrayLength());
        Assert.Null(strangerHistory.GetProperty("nextCursor").GetString());
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=%27%3B%20DROP%20TABLE%20orders%3B--", "cursor")]
    public async Task A_bad_page_size_or_cursor_is_a_validation_problem_naming_it(string query, string field)
    {
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await customer.Http.GetAsync($"/api/v1/orders?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task Order_history_requires_a_signed_in_customer()
    {
        using var anonymous = stack.CreateHttpClient("api");

        using var response = await anonymous.GetAsync("/api/v1/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
