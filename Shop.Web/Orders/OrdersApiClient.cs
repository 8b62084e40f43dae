using System.Net;
using Shop.Web.Api;

namespace Shop.Web.Orders;

/// <summary>Typed client for the shopper's orders (docs/api.md, Orders).</summary>
public sealed class OrdersApiClient(HttpClient http, ILogger<OrdersApiClient> logger) : ApiClient(http, logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Checks out the cart. The caller makes one key per checkout attempt and sends the same
    /// key on every retry of it: the API then replays the first order instead of placing a
    /// second (the resilience handler's own retries reuse this request, header included).
    /// </summary>
    public Task<OrderDto> CheckOutCartAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
        // "{}" (no lines) means "the cart"; the same body on every retry keeps the key valid.
        SendJsonAsync<OrderDto>(HttpMethod.Post, "api/v1/orders", new { }, cancellationToken,
            request => request.Headers.Add(IdempotencyKeyHeader, idempotencyKey));

    public Task<Api.Page<OrderDto>> GetOrdersAsync(string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
        GetAsync<Api.Page<OrderDto>>(
            $"api/v1/orders?pageSize={pageSize}" + (string.IsNullOrEmpty(cursor) ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"),
            cancellationToken);

    /// <returns>The order, or null when it does not exist or is someone else's (404).</returns>
    public async Task<OrderDto?> FindOrderAsync(Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync<OrderDto>($"api/v1/orders/{id}", cancellationToken);
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
