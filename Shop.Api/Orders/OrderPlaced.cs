namespace Shop.Api.Orders;

/// <summary>
/// Written to the outbox with the order; the relay publishes it as <c>orders.placed</c>. Its JSON
/// shape is a contract with the worker (docs/api.md): add fields freely, never rename or remove.
/// </summary>
public sealed record OrderPlaced(Guid EventId, Guid OrderId, Guid CustomerId, decimal Total, string Currency, DateTimeOffset OccurredAt)
; // published as ShopEvents.OrderPlaced
