namespace Shop.Api.Orders;

/// <summary>Limits a cart and an order share, so whatever fits in a cart can be checked out.</summary>
public static class OrderLimits
{
    public const int MinQuantity = 1;
    public const int MaxQuantity = 99;
    public const int MaxLines = 100;

    /// <summary>
    /// Quantities are bound as decimal so "-1", "2.5" and "1e20" all reach validation (and get an
    /// error naming the field) instead of failing JSON binding.
    /// </summary>
    public static string? QuantityError(decimal? quantity) => quantity switch
    {
        null => "Quantity is required.",
        _ when decimal.Truncate(quantity.Value) != quantity.Value => "Quantity must be a whole number.",
        < MinQuantity or > MaxQuantity => $"Quantity must be between {MinQuantity} and {MaxQuantity}.",
        _ => null,
    };

    public static string? ProductIdError(string? productId, out Guid id)
    {
        id = Guid.Empty;
        if (string.IsNullOrWhiteSpace(productId))
        {
            return "Product id is required.";
        }
        return Guid.TryParse(productId, out id) && id != Guid.Empty ? null : "Product id must be a UUID.";
    }
}
