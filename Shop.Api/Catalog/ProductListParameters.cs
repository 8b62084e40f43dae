using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Catalog;

/// <summary>
/// Query string of GET /api/v1/products, bound as text on purpose: "pageSize=abc" or
/// "minPrice=1e999" then becomes a validation problem naming the field instead of a bare
/// binding failure.
/// </summary>
public sealed class ProductListParameters
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 100;

    [Description("Items per page, 1..100 (default 20; larger values are capped at 100).")]
    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }

    [Description("The nextCursor of the previous page.")]
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    [Description("Category slug.")]
    [FromQuery(Name = "category")]
    public string? Category { get; init; }

    [Description("Text the product name contains (case-insensitive).")]
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [Description("Lowest price, inclusive.")]
    [FromQuery(Name = "minPrice")]
    public string? MinPrice { get; init; }

    [Description("Highest price, inclusive.")]
    [FromQuery(Name = "maxPrice")]
    public string? MaxPrice { get; init; }

    public bool TryParse(out ProductListQuery query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var pageSize = DefaultPageSize;
        if (PageSize is not null)
        {
            // Parsed as long so 10^12 is "capped at 100", not "not a number".
            if (!long.TryParse(PageSize, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var requested))
            {
                errors["pageSize"] = ["Page size must be a whole number."];
            }
            else if (requested < 1)
            {
                errors["pageSize"] = ["Page size must be at least 1."];
            }
            else
            {
                pageSize = (int)Math.Min(requested, MaxPageSize);
            }
        }

        var after = KeysetCursor.FromQuery(Cursor, errors);

        // Checked as sent, before trimming (which would drop a trailing U+0085, a C1 control).
        var category = string.IsNullOrWhiteSpace(Category) ? null : Category.Trim().ToLowerInvariant();
        if ((ClientText.CharacterProblem(Category, "Category") ?? ClientText.Problem(category, "Category", ProductRequest.MaxCategorySlugLength)) is { } categoryProblem)
        {
            errors["category"] = [categoryProblem];
        }

        var search = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        if ((ClientText.CharacterProblem(Q, "Search text") ?? ClientText.Problem(search, "Search text", MaxSearchLength)) is { } searchProblem)
        {
            errors["q"] = [searchProblem];
        }

        var minPrice = ParsePrice(MinPrice, "minPrice", errors);
        var maxPrice = ParsePrice(MaxPrice, "maxPrice", errors);
        if (minPrice is not null && maxPrice is not null && minPrice > maxPrice)
        {
            errors["maxPrice"] = ["Highest price must not be below the lowest price."];
        }

        query = new ProductListQuery(pageSize, after, category, search, minPrice, maxPrice);
        return errors.Count == 0;
    }

    private static decimal? ParsePrice(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
            || price >= ProductRequest.MaxPrice * 1000)
        {
            errors[field] = ["Price must be a non-negative number such as 19.99."];
            return null;
        }

        return price;
    }
}

/// <summary>A validated catalog list request.</summary>
public sealed record ProductListQuery(
    int PageSize,
    KeysetCursor? After,
    string? CategorySlug,
    string? Search,
    decimal? MinPrice,
    decimal? MaxPrice);
