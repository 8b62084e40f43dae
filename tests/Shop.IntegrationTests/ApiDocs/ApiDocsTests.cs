using System.Net;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.ApiDocs;

[Collection(ShopStackCollection.Name)]
public class ApiDocsTests(ShopStackFixture stack)
{
    [Fact]
    public async Task The_openapi_document_describes_the_catalog_routes_with_their_responses()
    {
        using var api = stack.CreateHttpClient("api");

        var document = JsonDocument.Parse(await api.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        var list = paths.GetProperty("/api/v1/products");
        Assert.True(list.TryGetProperty("get", out var get));
        Assert.True(list.TryGetProperty("post", out var post));
        Assert.True(post.TryGetProperty("security", out _), "POST /api/v1/products needs a bearer token");
        Assert.True(post.GetProperty("responses").TryGetProperty("403", out _));
        Assert.Equal(0, get.GetProperty("security").GetArrayLength()); // anonymous, and saying so
        Assert.Contains(get.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "cursor");
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("400", out _));
        var item = paths.GetProperty("/api/v1/products/{id}");
        Assert.True(item.TryGetProperty("get", out var getOne));
        Assert.True(getOne.GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(item.TryGetProperty("put", out _));
        Assert.True(item.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/api/v1/products/{id}/image", out _));
        Assert.True(paths.TryGetProperty("/api/v1/categories", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProductDto", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task The_scalar_reference_page_is_served()
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
