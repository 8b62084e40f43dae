using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Shop.Api.Caching;

namespace Shop.Api.Catalog;

/// <summary>
/// Catalog reads through HybridCache. The catalog may be a few seconds stale by design, and an
/// admin change invalidates it everywhere (<see cref="InvalidateProductAsync"/>). Never use
/// these reads for money: checkout reads price and stock from Postgres.
/// </summary>
public sealed class CatalogReader(ProductRepository products, HybridCache cache, CacheInvalidationBus invalidation, CacheMetrics metrics)
{
    private const string PagesTag = "catalog:pages";
    private const string CategoriesKey = "catalog:categories";

    public async Task<ProductDto?> GetProductAsync(Guid id, CancellationToken cancellationToken)
    {
        // Wrapped so "no such product" is cached too and unknown ids don't reach the database
        // on every request.
        var call = new CacheCall();
        var cached = await metrics.MeasureAsync("product", call, cache.GetOrCreateAsync(
            ProductKey(id),
            (products, id, call),
            static async (state, ct) =>
            {
                state.call.MarkFactoryRan();
                return new CachedProduct(await state.products.FindAsync(state.id, ct));
            },
            tags: [ProductKey(id)],
            cancellationToken: cancellationToken));
        return cached.Product;
    }

    public async Task<Page<ProductDto>> ListProductsAsync(ProductListQuery query, CancellationToken cancellationToken)
    {
        var call = new CacheCall();
        return await metrics.MeasureAsync("page", call, cache.GetOrCreateAsync(
            PageKey(query),
            (products, query, call),
            static async (state, ct) =>
            {
                state.call.MarkFactoryRan();
                return await state.products.ListAsync(state.query, ct);
            },
            tags: [PagesTag],
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CategoryDto>> ListCategoriesAsync(CancellationToken cancellationToken)
    {
        var call = new CacheCall();
        return await metrics.MeasureAsync("categories", call, cache.GetOrCreateAsync(
            CategoriesKey,
            (products, call),
            static async (state, ct) =>
            {
                state.call.MarkFactoryRan();
                return await state.products.ListCategoriesAsync(ct);
            },
            tags: [CategoriesKey],
            cancellationToken: cancellationToken));
    }

    /// <summary>After a product was created, changed or deleted: its details and every list page.</summary>
    public Task InvalidateProductAsync(Guid id, CancellationToken cancellationToken) =>
        invalidation.InvalidateAsync([ProductKey(id)], [PagesTag], cancellationToken);

    private static string ProductKey(Guid id) => $"catalog:product:{id:N}";

    // Hashed: the search text is the client's and may be long or contain anything.
    private static string PageKey(ProductListQuery query)
    {
        var normalized = string.Join('\u001f',
            query.PageSize, query.After?.Encode(), query.CategorySlug, query.Search, query.MinPrice, query.MaxPrice);
        return $"catalog:page:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))}";
    }

    /// <summary>A cache entry for a product that may not exist.</summary>
    public sealed record CachedProduct(ProductDto? Product);
}
