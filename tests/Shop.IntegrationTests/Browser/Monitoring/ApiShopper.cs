using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.BrowserTests.Monitoring;

/// <summary>A customer of the API (signed up for the test) who fills a cart and checks out, for orders to chart.</summary>
public sealed class ApiShopper(HttpClient api) : IDisposable
{
    public static async Task<ApiShopper> SignUpAsync(HttpClient api)
    {
        var email = $"watcher-{Guid.NewGuid():N}"[..20] + "@example.com";
        const string password = "correct horse battery staple";
        (await api.PostAsJsonAsync("/api/v1/users", new { email, password, displayName = "Dashboard watcher" })).EnsureSuccessStatusCode();
        using var token = await api.PostAsJsonAsync("/api/v1/users/token", new { email, password });
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return new ApiShopper(api);
    }

    /// <summary>Puts the product in the cart and checks it out with a fresh Idempotency-Key; returns the order's id.</summary>
    public async Task<Guid> BuyAsync(Guid productId, int quantity = 1)
    {
        (await api.PutAsJsonAsync($"/api/v1/cart/lines/{productId}", new { quantity })).EnsureSuccessStatusCode();
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { lines = new[] { new { productId, quantity } } }),
        };
        checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await api.SendAsync(checkout);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Checkout answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<string> StatusOfAsync(Guid orderId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("status").GetString()!;

    public void Dispose() => api.Dispose();
}
