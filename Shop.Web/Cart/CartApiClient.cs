using Shop.Web.Api;

namespace Shop.Web.Cart;

/// <summary>Typed client for the shopper's cart, kept by Shop.Api in Redis (docs/api.md, Cart).</summary>
public sealed class CartApiClient(HttpClient http, ILogger<CartApiClient> logger) : ApiClient(http, logger)
{
    public const int MaxQuantity = 99;

    public Task<CartDto> GetAsync(CancellationToken cancellationToken = default) =>
        GetAsync<CartDto>("api/v1/cart", cancellationToken);

    /// <summary>Sets the line's quantity (PUT: idempotent, so a retried request does no harm).</summary>
    public Task<CartDto> SetQuantityAsync(Guid productId, int quantity, CancellationToken cancellationToken = default) =>
        SendJsonAsync<CartDto>(HttpMethod.Put, $"api/v1/cart/lines/{productId}", new { quantity }, cancellationToken);

    public Task<CartDto> RemoveLineAsync(Guid productId, CancellationToken cancellationToken = default) =>
        SendJsonAsync<CartDto>(HttpMethod.Delete, $"api/v1/cart/lines/{productId}", null, cancellationToken);
}
