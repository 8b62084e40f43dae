using Shop.Web.Catalog;

namespace Shop.Web.Cart;

public sealed record CartLineDto(Guid ProductId, string Name, decimal UnitPrice, string Currency, int Quantity, decimal LineTotal)
{
    public string DisplayUnitPrice => Money.Format(UnitPrice, Currency);

    public string DisplayLineTotal => Money.Format(LineTotal, Currency);
}

public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, decimal Total, string? Currency)
{
    public string DisplayTotal => Money.Format(Total, Currency ?? "EUR");

    public int ItemCount => Lines.Sum(l => l.Quantity);
}
