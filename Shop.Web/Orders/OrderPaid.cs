namespace Shop.Web.Orders;

/// <summary>
/// The fields of the <c>orders.paid</c> event (docs/api.md, Events) the storefront needs: a
/// payment is announced by this event alone, not by a second <c>orders.status-changed</c>.
/// </summary>
public sealed record OrderPaid(Guid EventId, Guid OrderId, Guid CustomerId, DateTimeOffset OccurredAt)
{
    public OrderStatusChanged AsStatusChange() => new(EventId, OrderId, CustomerId, "paid", OccurredAt);
}
