using System.Net;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

/// <summary>No N+1: the number of SQL commands per request does not grow with the page.</summary>
[Collection(ShopStackCollection.Name)]
public class SqlRoundTripTests(ShopStackFixture stack)
{
    /// <summary>Orders with three lines and two status changes each, written directly.</summary>
    private static Task SeedOrdersAsync(ShopDatabase db, Guid customerId, Guid productId, int count) => db.ExecuteAsync("""
        WITH o AS (
            INSERT INTO orders (id, customer_id, status, total, currency, created_at, updated_at)
            SELECT gen_random_uuid(), @customer, 'paid', 30, 'EUR', now() - make_interval(mins => g), now() - make_interval(mins => g)
            FROM generate_series(1, @count) AS g
            RETURNING id, created_at),
        l AS (
            INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price, quantity)
            SELECT o.id, n, @product, 'Counted product', 10, 1 FROM o, generate_series(1, 3) AS n)
        INSERT INTO order_status_changes (order_id, status, at, reason)
        SELECT o.id, s.status, o.created_at + s.delay, NULL
        FROM o, (VALUES ('pending', interval '0'), ('paid', interval '5 seconds')) AS s(status, delay)
        """, ("customer", customerId), ("product", productId), ("count", count));

    [Fact]
    public async Task An_order_history_page_costs_the_same_single_SQL_round_trip_for_1_and_50_orders()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var customer = await stack.CreateCustomerClientAsync();
        await SeedOrdersAsync(db, customer.UserId, product, 60);
        await using var api = new InProcessApi(stack);

        var (one, oneCommands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders?pageSize=1"), customer.AccessToken);
        var (fifty, fiftyCommands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders?pageSize=50"), customer.AccessToken);
        var cursor = JsonDocument.Parse(await fifty.Content.ReadAsStringAsync()).RootElement.GetProperty("nextCursor").GetString();
        var (next, nextCommands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders?pageSize=50&cursor={cursor}"), customer.AccessToken);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fifty.StatusCode);
        var items = JsonDocument.Parse(await fifty.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        Assert.Equal(50, items.GetArrayLength());
        Assert.All(items.EnumerateArray(), o =>
        {
            Assert.Equal(3, o.GetProperty("lines").GetArrayLength());
            Assert.Equal(2, o.GetProperty("timeline").GetArrayLength());
        });
        Assert.Equal(10, JsonDocument.Parse(await next.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());

        Assert.NotEmpty(oneCommands); // the counter sees the API's commands at all
        Assert.True(fiftyCommands.Count <= 2, string.Join("\n---\n", fiftyCommands));
        Assert.Equal(oneCommands.Count, fiftyCommands.Count);
        Assert.Equal(oneCommands.Count, nextCommands.Count);
    }

    [Fact]
    public async Task An_order_by_id_costs_at_most_two_SQL_round_trips()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync();
        using var customer = await stack.CreateCustomerClientAsync();
        await SeedOrdersAsync(db, customer.UserId, product, 1);
        var orderId = await db.ScalarAsync<Guid>("SELECT id FROM orders WHERE customer_id = @c", ("c", customer.UserId));
        await using var api = new InProcessApi(stack);

        var (response, commands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{orderId}"), customer.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(commands.Count, 1, 2);
    }

    [Fact]
    public async Task Reading_a_cart_costs_one_SQL_query_for_1_or_50_lines()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var products = await db.CreateProductsAsync(50);
        using var small = await stack.CreateCustomerClientAsync();
        using var large = await stack.CreateCustomerClientAsync();
        using (var put = await small.Http.PutAsync($"/api/v1/cart/lines/{products[0]}", JsonContent(1)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        foreach (var product in products)
        {
            (await large.Http.PutAsync($"/api/v1/cart/lines/{product}", JsonContent(2))).Dispose();
        }
        await using var api = new InProcessApi(stack);

        var (oneLine, oneCommands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/cart"), small.AccessToken);
        var (fiftyLines, fiftyCommands) = await api.SendCountingCommandsAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/cart"), large.AccessToken);

        Assert.Equal(1, JsonDocument.Parse(await oneLine.Content.ReadAsStringAsync()).RootElement.GetProperty("lines").GetArrayLength());
        Assert.Equal(50, JsonDocument.Parse(await fiftyLines.Content.ReadAsStringAsync()).RootElement.GetProperty("lines").GetArrayLength());
        Assert.Single(oneCommands);
        Assert.Single(fiftyCommands);
    }

    [Fact]
    public async Task A_checkout_is_three_SQL_commands_its_key_claimed_in_the_order_batch_and_a_retry_replays_it()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var products = await db.CreateProductsAsync(3);
        using var customer = await stack.CreateCustomerClientAsync();
        await using var api = new InProcessApi(stack);
        var key = Guid.NewGuid().ToString();
        var body = Checkout.Lines((products[0], 1), (products[1], 2), (products[2], 3));

        var (placed, commands) = await api.SendCountingCommandsAsync(Checkout.Request(key, body), customer.AccessToken);
        var (replayed, _) = await api.SendCountingCommandsAsync(Checkout.Request(key, body), customer.AccessToken);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        // Three round trips: a look at the key (a read, no write, no commit); the products read
        // (no transaction); then the transaction in one batch: the key claimed with the 201, the
        // order, status, outbox, the stock taken (the rows locked only from there), the lines and
        // the commit.
        Assert.True(commands.Count == 3, string.Join("\n---\n", commands));
        var look = Assert.Single(commands, c => c.Contains("FROM idempotency_keys", StringComparison.Ordinal));
        Assert.StartsWith("SELECT", look.TrimStart(), StringComparison.Ordinal);
        var read = Assert.Single(commands, c => c.Contains("FROM products", StringComparison.Ordinal) && !c.Contains("INSERT", StringComparison.Ordinal));
        Assert.DoesNotContain("BEGIN", read, StringComparison.Ordinal);
        var write = Assert.Single(commands, c => c.Contains("INSERT INTO orders", StringComparison.Ordinal));
        var begin = write.IndexOf("BEGIN", StringComparison.Ordinal);
        // The key first, right after BEGIN: its claim never waits, so a same-key retry gets its 409 at once.
        var claim = write.IndexOf("idempotency_claim_completed", StringComparison.Ordinal);
        Assert.True(begin >= 0 && begin < claim && claim < write.IndexOf("INSERT INTO orders", StringComparison.Ordinal), write);
        Assert.DoesNotContain("UPDATE idempotency_keys", string.Join("\n", commands), StringComparison.Ordinal);
        Assert.Contains("INSERT INTO outbox_messages", write, StringComparison.Ordinal);
        var take = write.IndexOf("checkout_take_stock", StringComparison.Ordinal);
        Assert.True(take > write.IndexOf("INSERT INTO outbox_messages", StringComparison.Ordinal), write);
        Assert.True(write.LastIndexOf("COMMIT", StringComparison.Ordinal) > take, write);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await placed.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal(placed.Headers.Location, replayed.Headers.Location);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*)::int FROM orders WHERE customer_id = @c", ("c", customer.UserId)));
    }

    private static StringContent JsonContent(int quantity) =>
        new($"{{\"quantity\":{quantity}}}", System.Text.Encoding.UTF8, "application/json");
}
