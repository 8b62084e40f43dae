using System.Text.Json;

namespace Shop.Api.Catalog;

/// <summary>
/// Body of POST and PUT /api/v1/products. Fields are nullable so a missing one is reported by
/// <see cref="Validate"/> as a validation problem naming it, not as a binding failure.
/// </summary>
public sealed record ProductRequest(
    string? Name,
    string? Description,
    string? CategorySlug,
    decimal? Price,
    string? Currency,
    int? Stock,
    string? ImageUrl,
    JsonElement? Metadata)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxImageUrlLength = 2000;
    public const int MaxMetadataLength = 16 * 1024;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxStock = 1_000_000;
    public const string DefaultCurrency = "EUR";

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();

        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["Name is required."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"Name must be at most {MaxNameLength} characters."];
        }

        if (Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"Description must be at most {MaxDescriptionLength} characters."];
        }

        if (CategorySlug is not null && (CategorySlug.Length is 0 or > 100))
        {
            errors["categorySlug"] = ["Category slug must be 1 to 100 characters."];
        }

        if (Price is null)
        {
            errors["price"] = ["Price is required."];
        }
        else if (Price <= 0 || Price >= MaxPrice)
        {
            errors["price"] = [$"Price must be greater than 0 and less than {MaxPrice:0}."];
        }
        else if (decimal.Round(Price.Value, 2) != Price)
        {
            errors["price"] = ["Price must have at most 2 decimal places."];
        }

        if (Stock is < 0 or > MaxStock)
        {
            errors["stock"] = [$"Stock must be between 0 and {MaxStock}."];
        }

        if (Currency is not null && (Currency.Length != 3 || !Currency.All(char.IsAsciiLetter)))
        {
            errors["currency"] = ["Currency must be a 3-letter ISO 4217 code, e.g. EUR."];
        }

        if (ImageUrl is not null && !IsAcceptableImageUrl(ImageUrl))
        {
            errors["imageUrl"] = [$"Image URL must be an absolute http(s) URL or a path starting with '/', at most {MaxImageUrlLength} characters."];
        }

        if (Metadata is { } metadata && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors["metadata"] = ["Metadata must be a JSON object."];
        }
        else if (Metadata is { ValueKind: JsonValueKind.Object } obj && obj.GetRawText().Length > MaxMetadataLength)
        {
            errors["metadata"] = [$"Metadata must be at most {MaxMetadataLength} characters of JSON."];
        }

        return errors;
    }

    // Only URLs a browser will treat as an image address: no javascript:, data: or other schemes.
    private static bool IsAcceptableImageUrl(string url) =>
        url.Length is > 0 and <= MaxImageUrlLength
        && (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            || Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));

    /// <summary>Only valid after <see cref="Validate"/> returned no errors.</summary>
    public ProductChange ToChange(Guid id, Guid? categoryId) => new(
        Id: id,
        Name: Name!.Trim(),
        Description: string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        CategoryId: categoryId,
        Price: Price!.Value,
        Currency: Currency?.ToUpperInvariant() ?? DefaultCurrency,
        Stock: Stock ?? 0,
        ImageUrl: ImageUrl,
        Metadata: Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}");
}

/// <summary>A validated product about to be inserted or to replace the stored one.</summary>
public sealed record ProductChange(
    Guid Id, string Name, string? Description, Guid? CategoryId, decimal Price, string Currency, int Stock,
    string? ImageUrl, string Metadata);
