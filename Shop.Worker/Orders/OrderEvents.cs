namespace Shop.Worker.Orders;

// The order events of docs/api.md (camelCase JSON on shop.events), as the worker reads and
// writes them: each consumer's copy holds the fields it needs, so a publisher may add fields.

public sealed record OrderPlaced(Guid EventId, Guid OrderId, Guid CustomerId, decimal Total, string Currency, DateTimeOffset OccurredAt)
    : IConsumedEvent<OrderPlaced>
{
    public static string? Validate(OrderPlaced m) =>
        m.OrderId == Guid.Empty ? "orderId is missing" : m.Currency is not { Length: 3 } ? "currency is missing" : m.Total < 0 ? "total is negative" : null;
}

public sealed record OrderPaid(Guid EventId, Guid OrderId, Guid CustomerId, string ChargeId, decimal Total, string Currency, DateTimeOffset OccurredAt)
    : IConsumedEvent<OrderPaid>
{
    public static string? Validate(OrderPaid m) =>
        m.OrderId == Guid.Empty ? "orderId is missing" : m.Currency is not { Length: 3 } ? "currency is missing" : null;
}

/// <summary>Published for the storefront's live order status (Shop.Web listens) when no event of its own says it (a decline); no worker consumer reads it.</summary>
public sealed record OrderStatusChanged(Guid EventId, Guid OrderId, Guid CustomerId, string Status, DateTimeOffset At);
