namespace Shop.Api.Cart;

/// <summary>Body of PUT /api/v1/cart/lines/{productId}: the line's new quantity (1..99).</summary>
public sealed record SetCartQuantityRequest(decimal? Quantity);
