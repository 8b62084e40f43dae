using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// A registered customer who checks out over real HTTP (POST /api/v1/orders with an
/// Idempotency-Key), one unit of a product with plenty of stock per order: what the failure
/// tests' "steady stream of checkouts" is made of.
/// </summary>
public sealed class CheckoutShopper : IDisposable
{
    private readonly ApiClients.SignedInClient _customer;

    private CheckoutShopper(ApiClients.SignedInClient customer, OrderSeeder.Shop shop)
    {
        _customer = customer;
        Shop = shop;
    }

    /// <summary>The customer and product, for the probes (charges per order, mails to the customer).</summary>
    public OrderSeeder.Shop Shop { get; }

    public static async Task<CheckoutShopper> CreateAsync(ShopStackFixture stack, decimal price = 12.50m)
    {
        var customer = await stack.CreateCustomerClientAsync("Stream Shopper");
        var seeder = new OrderSeeder(await stack.ConnectionStringAsync("shopdb"));
        var (productId, productName) = await seeder.CreateProductAsync(price);
        return new CheckoutShopper(customer, new OrderSeeder.Shop(customer.UserId, customer.Email, productId, productName, price));
    }

    /// <returns>The status checkout answered, and the order's id when it was 201 Created.</returns>
    public Task<(HttpStatusCode Status, Guid? OrderId)> CheckOutAsync(CancellationToken cancellationToken) =>
        CheckOutAsync(Guid.NewGuid().ToString(), cancellationToken);

    /// <summary>A checkout with the given Idempotency-Key: a retry of an earlier attempt passes the same key.</summary>
    public async Task<(HttpStatusCode Status, Guid? OrderId)> CheckOutAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var (status, orderId, _) = await CheckOutWithRetryAfterAsync(idempotencyKey, cancellationToken);
        return (status, orderId);
    }

    /// <summary>As <see cref="CheckOutAsync(string, CancellationToken)"/>, with the Retry-After of an answer that has one.</summary>
    public async Task<(HttpStatusCode Status, Guid? OrderId, TimeSpan? RetryAfter)> CheckOutWithRetryAfterAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = Checkout.Request(idempotencyKey, Checkout.Lines((Shop.ProductId, 1)));
        using var response = await _customer.Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null, response.Headers.RetryAfter?.Delta);
        }
        var order = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (response.StatusCode, order.GetProperty("id").GetGuid(), null);
    }

    public void Dispose() => _customer.Dispose();
}
