using System.Text.Json;

namespace Shop.Api.Catalog;

/// <summary>A products row joined with its category, as Dapper reads it.</summary>
internal sealed class ProductRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "";
    public int Stock { get; init; }
    public string? ImageUrl { get; init; }
    public string Metadata { get; init; } = "{}";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public Guid? CategoryId { get; init; }
    public string? CategorySlug { get; init; }
    public string? CategoryName { get; init; }

    public ProductDto ToDto()
    {
        using var metadata = JsonDocument.Parse(Metadata);
        return new ProductDto(
            Id,
            Name,
            Description,
            CategoryId is { } categoryId ? new CategoryDto(categoryId, CategorySlug!, CategoryName!) : null,
            Price,
            Currency.TrimEnd(),
            Stock,
            ImageUrl ?? ProductImage.UrlFor(Id),
            metadata.RootElement.Clone(),
            DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
            DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }
}
