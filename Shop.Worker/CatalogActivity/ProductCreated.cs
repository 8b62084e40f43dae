namespace Shop.Worker.CatalogActivity;

/// <summary>
/// The worker's own copy of the API's ProductCreated event contract (camelCase JSON). Kept
/// separate on purpose: a consumer reads only the fields it needs, so the API may add fields.
/// </summary>
public sealed record ProductCreated : IConsumedEvent<ProductCreated>
{
    public required Guid EventId { get; init; }
    public required Guid ProductId { get; init; }
    public required string Name { get; init; }

    public static string? Validate(ProductCreated message) => message switch
    {
        { EventId: var id } when id == Guid.Empty => "eventId is empty",
        { ProductId: var id } when id == Guid.Empty => "productId is empty",
        { Name: var name } when string.IsNullOrWhiteSpace(name) => "name is empty",
        _ => null,
    };
}
