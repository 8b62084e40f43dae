using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>HttpClients for the API signed in as someone: a fresh customer, or the bootstrap admin.</summary>
public static class ApiClients
{
    public sealed record SignedInClient(HttpClient Http, Guid UserId, string Email, string Password, string AccessToken) : IDisposable
    {
        public void Dispose() => Http.Dispose();
    }

    /// <summary>Registers a new customer with a unique email and returns a client carrying their token.</summary>
    public static async Task<SignedInClient> CreateCustomerClientAsync(this ShopStackFixture stack, string? displayName = null)
    {
        var email = $"shopper-{Guid.NewGuid():N}@example.test";
        const string password = "correct horse battery";
        using (var anonymous = stack.CreateHttpClient("api"))
        {
            using var registered = await anonymous.PostAsJsonAsync("/api/v1/users", new { email, password, displayName = displayName ?? "Test Shopper" });
            registered.EnsureSuccessStatusCode();
        }
        return await stack.SignInAsync(email, password);
    }

    public static Task<SignedInClient> CreateAdminClientAsync(this ShopStackFixture stack) =>
        stack.SignInAsync(stack.AdminCredentials.Email, stack.AdminCredentials.Password);

    public static async Task<SignedInClient> SignInAsync(this ShopStackFixture stack, string email, string password)
    {
        var http = stack.CreateHttpClient("api");
        using var response = await http.PostAsJsonAsync("/api/v1/users/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        var accessToken = token.GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return new SignedInClient(http, token.GetProperty("user").GetProperty("id").GetGuid(), email, password, accessToken);
    }
}
