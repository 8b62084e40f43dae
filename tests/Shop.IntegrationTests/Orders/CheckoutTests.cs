using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

[Collection(ShopStackCollection.Name)]
public class CheckoutTests(ShopStackFixture stack)
{
    [Fact]
    public async Task Checkout_of_lines_places_a_pending_order_at_catalog_prices_takes_the_stock_and_writes_the_outbox_message()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var kettle = await db.CreateProductAsync(price: 12.50m, stock: 5, name: "Checkout kettle");
        var mug = await db.CreateProductAsync(price: 3.99m, stock: 10, name: "Checkout mug");
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((kettle, 2), (mug, 3)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.JsonAsync();
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/orders/{orderId}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", order.GetProperty("status").GetString());
        Assert.Equal(36.97m, order.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", order.GetProperty("currency").GetString());
        var lines = order.GetProperty("lines").EnumerateArray().ToArray();
        Assert.Equal([kettle, mug], lines.Select(l => l.GetProperty("productId").GetGuid()));
        Assert.Equal("Checkout kettle", lines[0].GetProperty("productName").GetString());
        Assert.Equal(12.50m, lines[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(25.00m, lines[0].GetProperty("lineTotal").GetDecimal());
        Assert.Equal("pending", Assert.Single(order.GetProperty("timeline").EnumerateArray()).GetProperty("status").GetString());

        Assert.Equal(3, await db.StockOfAsync(kettle));
        Assert.Equal(7, await db.StockOfAsync(mug));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT string_agg(status, ',') FROM order_status_changes WHERE order_id = @id", ("id", orderId)));
        var payload = JsonDocument.Parse(await db.ScalarAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE routing_key = 'orders.placed' AND payload->>'orderId' = @id", ("id", orderId.ToString()))).RootElement;
        Assert.Equal(customer.UserId, payload.GetProperty("customerId").GetGuid());
        Assert.Equal(36.97m, payload.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", payload.GetProperty("currency").GetString());
        Assert.NotEqual(Guid.Empty, payload.GetProperty("eventId").GetGuid());
        Assert.True(payload.TryGetProperty("occurredAt", out _));

        var fetched = await customer.Http.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(orderId, fetched.GetProperty("id").GetGuid());
        Assert.Equal(36.97m, fetched.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Checkout_without_a_body_orders_the_cart_and_empties_it()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(price: 8m, stock: 4);
        using var customer = await stack.CreateCustomerClientAsync();
        (await customer.Http.PutAsJsonAsync($"/api/v1/cart/lines/{product}", new { quantity = 3 })).Dispose();

        using var response = await Checkout.PostAsync(customer.Http, body: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.JsonAsync();
        Assert.Equal(24m, order.GetProperty("total").GetDecimal());
        Assert.Equal(3, Assert.Single(order.GetProperty("lines").EnumerateArray()).GetProperty("quantity").GetInt32());
        Assert.Equal(1, await db.StockOfAsync(product));
        var cart = await customer.Http.GetFromJsonAsync<JsonElement>("/api/v1/cart");
        Assert.Equal(0, cart.GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Checkout_of_an_empty_cart_is_a_validation_problem()
    {
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await Checkout.PostAsync(customer.Http, body: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lines", await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task Not_enough_stock_is_a_409_naming_the_product_and_writes_nothing()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var plenty = await db.CreateProductAsync(stock: 5);
        var scarce = await db.CreateProductAsync(stock: 1, name: "Scarce lamp");
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((plenty, 2), (scarce, 3)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(scarce, problem.GetProperty("productId").GetGuid());
        Assert.Contains("Scarce lamp", problem.GetProperty("detail").GetString());
        Assert.Equal(5, await db.StockOfAsync(plenty));
        Assert.Equal(1, await db.StockOfAsync(scarce));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(0L, await db.CountOutboxMessagesOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Unknown_and_deleted_products_are_rejected_naming_the_line_and_nothing_is_written()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var good = await db.CreateProductAsync(stock: 5);
        var deleted = await db.CreateProductAsync(stock: 5);
        await db.ExecuteAsync("UPDATE products SET deleted_at = now() WHERE id = @id", ("id", deleted));
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((good, 1), (Guid.CreateVersion7(), 1), (deleted, 1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        Assert.Contains("lines[1].productId", fields);
        Assert.Contains("lines[2].productId", fields);
        Assert.DoesNotContain("lines[0].productId", fields);
        Assert.Equal(5, await db.StockOfAsync(good));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Lines_in_two_currencies_are_rejected_naming_the_line_and_nothing_is_written()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var euros = await db.CreateProductAsync(stock: 5, currency: "EUR");
        var dollars = await db.CreateProductAsync(stock: 5, currency: "USD");
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((euros, 1), (dollars, 1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lines[1].productId", await response.ProblemFieldsAsync());
        Assert.Equal(5, await db.StockOfAsync(euros));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Checkout_without_an_idempotency_key_is_a_400_problem()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 5);
        using var customer = await stack.CreateCustomerClientAsync();

        using var missing = await customer.Http.SendAsync(Checkout.Request(null, Checkout.Lines((product, 1))));
        using var tooLong = await customer.Http.SendAsync(Checkout.Request(new string('k', 256), Checkout.Lines((product, 1))));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Idempotency-Key", await missing.ProblemFieldsAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(5, await db.StockOfAsync(product));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Checkout_requires_a_signed_in_customer()
    {
        using var anonymous = stack.CreateHttpClient("api");

        using var response = await Checkout.PostAsync(anonymous, Checkout.Lines((Guid.CreateVersion7(), 1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string, string, string?> BadBodies => new()
    {
        // name, JSON body ({P} = a real product id), field the problem must name (null: any 4xx problem)
        { "negative quantity", """{"lines":[{"productId":"{P}","quantity":-1}]}""", "lines[0].quantity" },
        { "zero quantity", """{"lines":[{"productId":"{P}","quantity":0}]}""", "lines[0].quantity" },
        { "quantity over 99", """{"lines":[{"productId":"{P}","quantity":100}]}""", "lines[0].quantity" },
        { "huge quantity", """{"lines":[{"productId":"{P}","quantity":99999999999999999999}]}""", "lines[0].quantity" },
        { "int overflow quantity", """{"lines":[{"productId":"{P}","quantity":2147483648}]}""", "lines[0].quantity" },
        { "fractional quantity", """{"lines":[{"productId":"{P}","quantity":1.5}]}""", "lines[0].quantity" },
        { "absurd exponent", """{"lines":[{"productId":"{P}","quantity":1e400}]}""", null },
        { "quantity as text", """{"lines":[{"productId":"{P}","quantity":"one"}]}""", null },
        { "missing quantity", """{"lines":[{"productId":"{P}"}]}""", "lines[0].quantity" },
        { "missing product id", """{"lines":[{"quantity":1}]}""", "lines[0].productId" },
        { "SQL in product id", """{"lines":[{"productId":"'; DELETE FROM orders; --","quantity":1}]}""", "lines[0].productId" },
        { "script in product id", """{"lines":[{"productId":"<script>alert(1)</script>","quantity":1}]}""", "lines[0].productId" },
        { "same product twice", """{"lines":[{"productId":"{P}","quantity":1},{"productId":"{P}","quantity":1}]}""", "lines[1].productId" },
        { "empty lines", """{"lines":[]}""", "lines" },
        { "null line", """{"lines":[null]}""", "lines[0]" },
        { "lines not an array", """{"lines":"all of them"}""", null },
        { "malformed JSON", """{"lines":[{"productId":""", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_4xx_problem_and_writes_nothing(string name, string body, string? field)
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 50);
        using var customer = await stack.CreateCustomerClientAsync();

        using var response = await customer.Http.SendAsync(Checkout.RequestWithJson(Guid.NewGuid().ToString(), body.Replace("{P}", product.ToString())));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.Contains(field, await response.ProblemFieldsAsync());
        }
        Assert.Equal(50, await db.StockOfAsync(product));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Ten_thousand_lines_are_rejected_and_nothing_is_written()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 50);
        using var customer = await stack.CreateCustomerClientAsync();
        var lines = Enumerable.Range(0, 10_000).Select(_ => new { productId = Guid.CreateVersion7(), quantity = 1 }).ToList();
        lines[0] = new { productId = product, quantity = 1 };

        using var response = await Checkout.PostAsync(customer.Http, new { lines });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lines", await response.ProblemFieldsAsync());
        Assert.Equal(50, await db.StockOfAsync(product));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task A_10_MB_body_is_a_413_problem_and_writes_nothing()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 50);
        using var customer = await stack.CreateCustomerClientAsync();
        var padding = new string('x', 10 * 1024 * 1024);
        var body = $$"""{"lines":[{"productId":"{{product}}","quantity":1}],"padding":"{{padding}}"}""";

        using var response = await customer.Http.SendAsync(Checkout.RequestWithJson(Guid.NewGuid().ToString(), body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(50, await db.StockOfAsync(product));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var customer = await stack.CreateCustomerClientAsync();
        using var request = Checkout.RequestWithJson(Guid.NewGuid().ToString(), null);
        request.Content = new StringContent("lines=1", Encoding.UTF8, "text/plain");

        using var response = await customer.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0L, await (await ShopDatabase.ForAsync(stack)).CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_required_Idempotency_Key_header_on_checkout()
    {
        using var api = stack.CreateHttpClient("api");

        var document = await api.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var orders = document.GetProperty("paths").EnumerateObject().Single(p => p.Name.TrimEnd('/') == "/api/v1/orders").Value;
        Assert.Contains(orders.GetProperty("post").GetProperty("parameters").EnumerateArray(), p =>
            p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header" && p.GetProperty("required").GetBoolean());
        Assert.False(orders.GetProperty("get").TryGetProperty("parameters", out var listParameters)
            && listParameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key"));
    }
}
