namespace Shop.Api.Catalog;

/// <summary>
/// Event published after a product was created. Its JSON shape (camelCase) is a contract with
/// consumers such as Shop.Worker: add fields freely, never rename or remove them.
/// </summary>
public sealed record ProductCreated(
    Guid EventId,
    Guid ProductId,
    string Name,
    decimal Price,
    string Currency,
    DateTimeOffset OccurredAt)
; // published as ShopEvents.ProductCreated
