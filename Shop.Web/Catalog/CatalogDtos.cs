using System.Text.Json;

namespace Shop.Web.Catalog;

public sealed record CategoryDto(Guid Id, string Slug, string Name);

/// <summary>A product as Shop.Api returns it (docs/api.md, ProductDto).</summary>
public sealed record ProductDto(
    Guid Id,
    string Name,
    string? Description,
    CategoryDto? Category,
    decimal Price,
    string Currency,
    int Stock,
    string? ImageUrl,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string DisplayPrice => Money.Format(Price, Currency);

    /// <summary>
    /// The picture through our own proxy (the browser cannot reach the API's private address).
    /// The version makes the URL change when the product does, so the image can be cached long.
    /// </summary>
    public string PictureUrl => IsExternal(ImageUrl) ? ImageUrl! : $"/images/products/{Id}?v={UpdatedAt.UtcTicks}";

    // An admin's own picture on another site loads straight from there; the API's generated
    // one (a path on the API) goes through the proxy.
    private static bool IsExternal(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
        && !uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal);
}

/// <summary>Create/update body of the admin endpoints.</summary>
public sealed record ProductWrite(
    string Name,
    string? Description,
    string? CategorySlug,
    decimal Price,
    string Currency,
    int Stock,
    string? ImageUrl,
    JsonElement? Metadata);

/// <summary>The filters of the catalog listing; null means "not filtered".</summary>
public sealed record ProductQuery(string? Search = null, string? Category = null, decimal? MinPrice = null, decimal? MaxPrice = null, string? Cursor = null, int PageSize = 12);

/// <summary>One recorded catalog event (kept from the thin path: the worker's proof of life).</summary>
public sealed record ActivityEntry(Guid EventId, Guid ProductId, string ProductName, DateTimeOffset RecordedAt, string ProcessedBy);
