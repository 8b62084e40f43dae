using System.Net;
using System.Net.Http.Headers;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Catalog;

[Collection(ShopStackCollection.Name)]
public class ProductImageTests(ShopStackFixture stack)
{
    [Fact]
    public async Task A_product_image_is_a_cacheable_svg_that_revalidates_with_304()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var id = (await admin.Http.CreateProductAsync("Teapot <script>alert(1)</script>", 20m)).Id();
        using var api = stack.CreateHttpClient("api");

        using var first = await api.GetAsync($"/api/v1/products/{id}/image");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/svg+xml", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.True(first.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("No ETag.");
        var svg = await first.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg);
        Assert.Contains("Teapot &lt;script&gt;", svg);
        Assert.DoesNotContain("<script>", svg);

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/products/{id}/image");
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await api.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(etag, revalidated.Headers.ETag);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Renaming_a_product_changes_its_image_etag()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var id = (await admin.Http.CreateProductAsync("Blue mug", 8m)).Id();
        using var api = stack.CreateHttpClient("api");
        var before = (await api.GetAsync($"/api/v1/products/{id}/image")).Headers.ETag!;

        (await admin.Http.PutAsync($"/api/v1/products/{id}", System.Net.Http.Json.JsonContent.Create(new { name = "Red mug", price = 8m }))).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/products/{id}/image");
        request.Headers.IfNoneMatch.Add(before);
        using var after = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before, after.Headers.ETag);
        Assert.Contains("Red mug", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_image_of_an_unknown_product_is_404()
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.GetAsync($"/api/v1/products/{Guid.CreateVersion7()}/image");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
