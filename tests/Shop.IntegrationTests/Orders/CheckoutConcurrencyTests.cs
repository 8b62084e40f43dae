using System.Net;
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
}
