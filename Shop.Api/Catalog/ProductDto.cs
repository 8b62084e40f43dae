using System.Text.Json;

namespace Shop.Api.Catalog;

/// <summary>A product as the API returns it. Times are UTC.</summary>
/// <param name="ImageUrl">The admin's own image URL, else the generated image at /api/v1/products/{id}/image.</param>
public sealed record ProductDto(
    Guid Id,
    string Name,
    string? Description,
    CategoryDto? Category,
    decimal Price,
    string Currency,
    int Stock,
    string ImageUrl,
    JsonElement Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A category of the catalog.</summary>
public sealed record CategoryDto(Guid Id, string Slug, string Name);
