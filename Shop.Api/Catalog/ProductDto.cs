namespace Shop.Api.Catalog;

/// <summary>A product as the API returns it. Times are UTC.</summary>
public sealed record ProductDto(
    Guid Id,
    string Name,
    string? Description,
    decimal Price,
    string Currency,
    int Stock,
    DateTime CreatedAt,
    DateTime UpdatedAt);
