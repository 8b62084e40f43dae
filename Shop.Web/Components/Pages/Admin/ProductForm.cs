using System.ComponentModel.DataAnnotations;
using Shop.Web.Catalog;
using ShopAspire.ClientInput;

namespace Shop.Web.Components.Pages.Admin;

/// <summary>The admin's product form; the API validates again and its field errors are shown too.</summary>
public sealed class ProductForm
{
    [Required, ClientText(200)]
    public string Name { get; set; } = "";

    [ClientText(4000, TextShape.MultiLine)]
    public string? Description { get; set; }

    [ClientText(100)]
    public string? CategorySlug { get; set; }

    [Range(typeof(decimal), "0.01", "9999999999")]
    public decimal Price { get; set; } = 1m;

    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Use a 3-letter currency code such as EUR.")]
    public string Currency { get; set; } = "EUR";

    [Range(0, int.MaxValue)]
    public int Stock { get; set; }

    // Checked by the API (absolute http(s) URL or a path), whose message is shown.
    [ClientText(2000)]
    public string? ImageUrl { get; set; }

    public static ProductForm From(ProductDto product) => new()
    {
        Name = product.Name,
        Description = product.Description,
        CategorySlug = product.Category?.Slug,
        Price = product.Price,
        Currency = product.Currency,
        Stock = product.Stock,
        ImageUrl = product.ImageUrl is { } url && Uri.IsWellFormedUriString(url, UriKind.Absolute) && !url.Contains("/api/v1/", StringComparison.Ordinal) ? url : null,
    };

    public ProductWrite ToWrite(ProductDto? existing) => new(
        Name.Trim(),
        string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        string.IsNullOrWhiteSpace(CategorySlug) ? null : CategorySlug,
        Price,
        Currency.Trim().ToUpperInvariant(),
        Stock,
        // Empty means "no picture of my own": the API draws one.
        string.IsNullOrWhiteSpace(ImageUrl) ? null : ImageUrl.Trim(),
        existing?.Metadata);
}
