namespace Shop.Api.Cart;

/// <summary>Joins a cart's lines from Redis with the products' current names and prices from Postgres.</summary>
public sealed class CartReader(CartStore store, CartCatalog catalog)
{
    public async Task<CartDto> ReadAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var lines = await store.ReadAsync(customerId);
        var products = await catalog.FindForSaleAsync(lines.Select(l => l.ProductId).ToArray(), cancellationToken);

        // A product deleted since it was added is no longer for sale: it drops out of the cart.
        var dtos = lines
            .Where(l => products.ContainsKey(l.ProductId))
            .Select(l =>
            {
                var p = products[l.ProductId];
                return new CartLineDto(p.Id, p.Name, p.Price, p.Currency, l.Quantity, p.Price * l.Quantity);
            })
            .OrderBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.ProductId)
            .ToList();
        return CartDto.From(dtos);
    }
}
