namespace Shop.Web.Orders;

/// <summary>Body of the <c>orders.status-changed</c> event (docs/api.md, Events).</summary>
public sealed record OrderStatusChanged(Guid EventId, Guid OrderId, Guid CustomerId, string Status, DateTimeOffset At);
