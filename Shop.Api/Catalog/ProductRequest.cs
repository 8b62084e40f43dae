using System.ComponentModel;
using System.Text.Json;

namespace Shop.Api.Catalog;

/// <summary>
/// Body of POST and PUT /api/v1/products. Fields are nullable so a missing one is reported by
/// <see cref="Validate"/> as a validation problem naming it, not as a binding failure. Only name
/// and price are needed: the optional fields have defaults, which is also what makes the OpenAPI
/// schema list just those two as required.
/// </summary>
public sealed record ProductRequest(
    string? Name,
    decimal? Price,
    [property: Description("Free text, at most 4,000 characters; tab and line breaks allowed.")] string? Description = null,
    [property: Description("The slug of an existing category (GET /api/v1/categories); none leaves the product uncategorised.")] string? CategorySlug = null,
    [property: Description("3-letter ISO 4217 code; EUR when left out.")] string? Currency = null,
    [property: Description("Units in stock, 0 to 1,000,000; 0 when left out.")] int? Stock = null,
    [property: Description("An http(s) or site-relative image address; the generated image when left out.")] string? ImageUrl = null,
    [property: Description("Any JSON object, at most 16 KB; {} when left out.")] JsonElement? Metadata = null)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxImageUrlLength = 2000;
    public const int MaxCategorySlugLength = 100;
    public const int MaxMetadataLength = 16 * 1024;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxStock = 1_000_000;
    public const string DefaultCurrency = "EUR";

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();

        // Checked before trimming: Trim() would quietly drop a trailing U+0085 (a C1 control).
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["Name is required."];
        }
        else if (ClientText.Problem(Name, "Name", MaxNameLength) is { } nameProblem)
        {
            errors["name"] = [nameProblem];
        }

        if (ClientText.Problem(Description, "Description", MaxDescriptionLength, TextShape.MultiLine) is { } descriptionProblem)
        {
            errors["description"] = [descriptionProblem];
        }

        if (CategorySlug is { Length: 0 })
        {
            errors["categorySlug"] = ["Category slug must be 1 to 100 characters."];
        }
        else if (ClientText.Problem(CategorySlug, "Category slug", MaxCategorySlugLength) is { } slugProblem)
        {
            errors["categorySlug"] = [slugProblem];
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

        if (ClientText.Problem(ImageUrl, "Image URL", MaxImageUrlLength) is { } imageUrlProblem)
        {
            errors["imageUrl"] = [imageUrlProblem];
        }
        else if (ImageUrl is not null && !IsAcceptableImageUrl(ImageUrl))
        {
            errors["imageUrl"] = [$"Image URL must be an absolute http(s) URL or a path starting with '/', at most {MaxImageUrlLength} characters."];
        }

        if (Metadata is { } metadata && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors["metadata"] = ["Metadata must be a JSON object."];
        }
        else if (Metadata is { ValueKind: JsonValueKind.Object } obj && MetadataProblem(obj) is { } metadataProblem)
        {
            errors["metadata"] = [metadataProblem];
        }

        return errors;
    }

    /// <summary>
    /// Metadata is stored as jsonb, which refuses \u0000 and unpaired surrogate escapes (and its
    /// raw text is not even readable when a string holds invalid UTF-8): every property name and
    /// string value must be text <see cref="ClientText"/> accepts.
    /// </summary>
    private static string? MetadataProblem(JsonElement metadata)
    {
        try
        {
            if (metadata.GetRawText().Length > MaxMetadataLength)
            {
                return $"Metadata must be at most {MaxMetadataLength} characters of JSON.";
            }
            return TextProblem(metadata, "metadata");
        }
        catch (InvalidOperationException)
        {
            return "Metadata is not valid Unicode (invalid UTF-8 or an unpaired surrogate).";
        }

        static string? TextProblem(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var problem = ClientText.CharacterProblem(property.Name, $"The name of {path}.{ClientText.Printable(property.Name)}", TextShape.SingleLine)
                            ?? TextProblem(property.Value, $"{path}.{property.Name}");
                        if (problem is not null)
                        {
                            return problem;
                        }
                    }
                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (TextProblem(item, $"{path}[{index++}]") is { } problem)
                        {
                            return problem;
                        }
                    }
                    return null;
                case JsonValueKind.String:
                    return ClientText.CharacterProblem(element.GetString(), ClientText.Printable(path), TextShape.MultiLine);
                default:
                    return null;
            }
        }
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
