namespace Shop.Api.Orders;

/// <summary>An order as the API returns it: lines carry the name and price as ordered.</summary>
public sealed record OrderDto(
    Guid Id,
    string Status,
    decimal Total,
    string Currency,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<OrderLineDto> Lines,
    IReadOnlyList<OrderStatusChangeDto> Timeline);

public sealed record OrderLineDto(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderStatusChangeDto(string Status, DateTime At, string? Reason);
