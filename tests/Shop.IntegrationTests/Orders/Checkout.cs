using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.IntegrationTests.Orders;

/// <summary>Small helpers to call POST /api/v1/orders the way a client does.</summary>
public static class Checkout
{
    public static HttpRequestMessage Request(string? idempotencyKey, object? body) => RequestWithJson(idempotencyKey, body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    public static HttpRequestMessage RequestWithJson(string? idempotencyKey, string? json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return request;
    }

    public static object Lines(params (Guid ProductId, int Quantity)[] lines) =>
        new { lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }).ToArray() };

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, object? body, string? idempotencyKey = null) =>
        await http.SendAsync(Request(idempotencyKey ?? Guid.NewGuid().ToString(), body));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The field names a validation problem reports.</summary>
    public static async Task<string[]> ProblemFieldsAsync(this HttpResponseMessage response)
    {
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name).ToArray() : [];
    }
}
