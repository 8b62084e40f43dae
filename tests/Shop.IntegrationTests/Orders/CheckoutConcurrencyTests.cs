using System.Net;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Orders;

[Collection(ShopStackCollection.Name)]
public class CheckoutConcurrencyTests(ShopStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_concurrent_checkouts_for_the_last_ten_units_give_exactly_ten_orders_and_stock_zero()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10, name: "Last ten units");
        var customers = await db.CreateCustomersAsync(stack, 200);
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var shed = 0;
            var checkouts = customers.Select(c => Task.Run(async () =>
            {
                await start.Task;
                // As the API asks a client to: a 503 (load shed on a busy machine: 200 requests
                // queue for one row) is retried after Retry-After with the same Idempotency-Key.
                var key = Guid.NewGuid().ToString();
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await Checkout.PostAsync(c.Http, Checkout.Lines((product, 1)), key);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
                    {
                        return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
                    }
                    Interlocked.Increment(ref shed);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2));
                }
            })).ToArray();
            start.SetResult();
            var results = await Task.WhenAll(checkouts);
            output.WriteLine($"200 checkouts for 10 units: {results.Count(r => r.StatusCode == HttpStatusCode.Created)} x 201, "
                + $"{results.Count(r => r.StatusCode == HttpStatusCode.Conflict)} x 409; {shed} answers 503 retried with the same key");

            Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{r.StatusCode}: {r.Body}"));
            Assert.Equal(10, results.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(190, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            Assert.Equal(0, await db.StockOfAsync(product));
            Assert.Equal(10L, await db.CountOrdersWithProductAsync(product));
        }
        finally
        {
            foreach (var c in customers)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public async Task Checkouts_naming_the_same_products_in_opposite_orders_do_not_deadlock()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var a = await db.CreateProductAsync(stock: 1_000);
        var b = await db.CreateProductAsync(stock: 1_000);
        var c = await db.CreateProductAsync(stock: 1_000);
        var customers = await db.CreateCustomersAsync(stack, 60);
        try
        {
            (Guid, int)[][] shapes = [[(a, 1), (b, 1), (c, 1)], [(c, 1), (b, 1), (a, 1)], [(b, 1), (a, 1)]];
            var results = await Task.WhenAll(customers.Select((customer, i) => Task.Run(async () =>
            {
                using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines(shapes[i % shapes.Length]));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            })));

            Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.Created, $"{r.StatusCode}: {r.Body}"));
            Assert.Equal(1_000 - 60, await db.StockOfAsync(a));
            Assert.Equal(1_000 - 60, await db.StockOfAsync(b));
            Assert.Equal(1_000 - 40, await db.StockOfAsync(c));
        }
        finally
        {
            foreach (var customer in customers)
            {
                customer.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_checkout_rejected_at_the_take_leaves_nothing_behind()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 5, name: "Last few lamps");
        using var customer = await stack.CreateCustomerClientAsync();

        // The checkout reads 5 left and writes its order, then waits at the take for the row,
        // locked by a sale elsewhere that leaves 2.
        await using var sale = await LockRowAsync(db, product);
        var checkout = Checkout.PostAsync(customer.Http, Checkout.Lines((product, 3)));
        await WaitForATakeBlockedByAsync(db, sale.Connection);
        await sale.CommitAsync("UPDATE products SET stock = 2 WHERE id = @id", product);
        using var response = await checkout;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(2, problem.GetProperty("available").GetInt32());
        Assert.Equal(3, problem.GetProperty("requested").GetInt32());
        Assert.Equal(2, await db.StockOfAsync(product));
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(0L, await db.CountOrdersWithProductAsync(product));
        Assert.Equal(0L, await db.CountOutboxMessagesOfAsync(customer.UserId));
    }

    [Fact]
    public async Task A_product_repriced_while_its_checkout_waits_for_the_row_is_sold_at_the_new_price()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(price: 10m, stock: 5);
        using var customer = await stack.CreateCustomerClientAsync();

        // Priced at 10.00 from its read, the checkout waits at the take while the price becomes 12.50.
        await using var repricing = await LockRowAsync(db, product);
        var checkout = Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)));
        await WaitForATakeBlockedByAsync(db, repricing.Connection);
        await repricing.CommitAsync("UPDATE products SET price = 12.50 WHERE id = @id", product);
        using var response = await checkout;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.JsonAsync();
        Assert.Equal(25.00m, order.GetProperty("total").GetDecimal());
        Assert.Equal(12.50m, Assert.Single(order.GetProperty("lines").EnumerateArray()).GetProperty("unitPrice").GetDecimal());
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal(25.00m, await db.ScalarAsync<decimal>("SELECT total FROM orders WHERE id = @id", ("id", orderId)));
        Assert.Equal(12.50m, await db.ScalarAsync<decimal>("SELECT unit_price FROM order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal(3, await db.StockOfAsync(product));
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(1L, await db.CountOutboxMessagesOfAsync(customer.UserId));
    }

    /// <summary>A transaction elsewhere that holds the product's row lock until it commits a change to it.</summary>
    private sealed class RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public async Task CommitAsync(string sql, Guid productId)
        {
            await using (var change = new NpgsqlCommand(sql, connection, transaction))
            {
                change.Parameters.AddWithValue("id", productId);
                await change.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task<RowLock> LockRowAsync(ShopDatabase db, Guid productId)
    {
        var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var lockRow = new NpgsqlCommand("SELECT 1 FROM products WHERE id = @id FOR UPDATE", connection, transaction);
        lockRow.Parameters.AddWithValue("id", productId);
        await lockRow.ExecuteNonQueryAsync();
        return new RowLock(connection, transaction);
    }

    /// <summary>Until a checkout's stock take (so: after its read and its order's inserts) waits for the lock held by <paramref name="holder"/>.</summary>
    private static Task WaitForATakeBlockedByAsync(ShopDatabase db, NpgsqlConnection holder) =>
        Eventually.GetAsync(async () => await db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_stat_activity
            WHERE query LIKE '%checkout_take_stock%' AND @holder = ANY(pg_blocking_pids(pid))
            """, ("holder", holder.ProcessID)) == 1 ? (object)true : null,
            TimeSpan.FromSeconds(10), "a checkout waiting at its stock take");
}
