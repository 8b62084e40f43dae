namespace Shop.Api.Catalog;

/// <summary>
/// Body of POST /api/v1/products. Fields are nullable so a missing one is reported by
/// <see cref="Validate"/> as a validation problem naming it, not as a binding failure.
/// </summary>
public sealed record CreateProductRequest(
    string? Name,
    string? Description,
    decimal? Price,
    string? Currency,
    int? Stock)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
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

        return errors;
    }

    /// <summary>Only valid after <see cref="Validate"/> returned no errors.</summary>
    public NewProduct ToNewProduct() => new(
        Id: Guid.CreateVersion7(),
        Name: Name!.Trim(),
        Description: string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        Price: Price!.Value,
        Currency: Currency?.ToUpperInvariant() ?? DefaultCurrency,
        Stock: Stock ?? 0);
}

/// <summary>A validated product about to be inserted.</summary>
public sealed record NewProduct(Guid Id, string Name, string? Description, decimal Price, string Currency, int Stock);
