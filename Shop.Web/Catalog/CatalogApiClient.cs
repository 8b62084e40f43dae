using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Shop.Web.Api;

namespace Shop.Web.Catalog;

/// <summary>Typed client for Shop.Api's catalog endpoints (docs/api.md, Catalog).</summary>
public sealed class CatalogApiClient(HttpClient http, ILogger<CatalogApiClient> logger) : ApiClient(http, logger)
{
    public Task<IReadOnlyList<CategoryDto>> GetCategoriesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<CategoryDto>>("api/v1/categories", cancellationToken);

    public Task<Page<ProductDto>> GetProductsAsync(ProductQuery query, CancellationToken cancellationToken = default)
    {
        var parameters = new List<string> { $"pageSize={query.PageSize}" };
        Add(parameters, "cursor", query.Cursor);
        Add(parameters, "category", query.Category);
        Add(parameters, "q", query.Search);
        Add(parameters, "minPrice", query.MinPrice?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "maxPrice", query.MaxPrice?.ToString(CultureInfo.InvariantCulture));
        return GetAsync<Page<ProductDto>>("api/v1/products?" + string.Join('&', parameters), cancellationToken);
    }

    /// <returns>The product, or null when the API does not know it (404).</returns>
    public async Task<ProductDto?> FindProductAsync(Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync<ProductDto>($"api/v1/products/{id}", cancellationToken);
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<ProductDto> CreateProductAsync(ProductWrite product, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ProductDto>(HttpMethod.Post, "api/v1/products", product, cancellationToken);

    public Task<ProductDto> UpdateProductAsync(Guid id, ProductWrite product, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ProductDto>(HttpMethod.Put, $"api/v1/products/{id}", product, cancellationToken);

    public Task DeleteProductAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, $"api/v1/products/{id}", cancellationToken);

    public Task<IReadOnlyList<ActivityEntry>> GetRecentActivityAsync(int limit, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ActivityEntry>>($"api/v1/catalog/activity?limit={limit}", cancellationToken);

    /// <summary>
    /// The product's picture from GET /api/v1/products/{id}/image, passing the browser's
    /// If-None-Match through so an unchanged image costs a 304 and no bytes.
    /// </summary>
    public async Task<HttpResponseMessage> GetImageAsync(Guid id, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/products/{id}/image");
        if (ifNoneMatch is { Length: > 0 } && EntityTagHeaderValue.TryParse(ifNoneMatch, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }
        return await SendRawAsync(request, ReadBudget, cancellationToken);
    }

    private static void Add(List<string> parameters, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parameters.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
        }
    }
}
