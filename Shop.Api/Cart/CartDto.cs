namespace Shop.Api.Cart;

/// <summary>A cart as the API returns it: names and prices are the catalog's current ones.</summary>
public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, decimal Total, string Currency)
{
    public const string DefaultCurrency = "EUR";

    public static CartDto From(IReadOnlyList<CartLineDto> lines) => new(
        lines,
        lines.Sum(l => l.LineTotal),
        lines.Count > 0 ? lines[0].Currency : DefaultCurrency);
}

public sealed record CartLineDto(Guid ProductId, string Name, decimal UnitPrice, string Currency, int Quantity, decimal LineTotal);
