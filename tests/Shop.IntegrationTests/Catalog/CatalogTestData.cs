using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.IntegrationTests.Catalog;

internal static class CatalogTestData
{
    /// <summary>A word no other product has, to find a test's own products with ?q=.</summary>
    public static string UniqueToken() => $"t{Guid.NewGuid():N}"[..16];

    public static async Task<JsonElement> CreateProductAsync(
        this HttpClient admin, string name, decimal price = 10m, string? categorySlug = null, int stock = 5, object? metadata = null)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/products", new
        {
            name,
            description = "Made for a test",
            categorySlug,
            price,
            currency = "EUR",
            stock,
            metadata,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static IEnumerable<string> ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name);

    public static Guid Id(this JsonElement product) => product.GetProperty("id").GetGuid();
}
