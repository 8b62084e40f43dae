using Shop.Web.Catalog;

namespace Shop.Web.Orders;

public sealed record OrderLineDto(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderStatusEntry(string Status, DateTimeOffset At, string? Reason);

public sealed record OrderDto(
    Guid Id,
    string Status,
    decimal Total,
    string Currency,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderLineDto> Lines,
    IReadOnlyList<OrderStatusEntry>? Timeline)
{
    public string DisplayTotal => Money.Format(Total, Currency);
}

/// <summary>The API's order statuses in the words shoppers read.</summary>
public static class OrderStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string PaymentFailed = "payment_failed";

    public static string Describe(string status) => status switch
    {
        Pending => "Pending",
        Paid => "Paid",
        PaymentFailed => "Payment failed",
        _ => status,
    };

    /// <summary>CSS class of the status badge.</summary>
    public static string BadgeClass(string status) => $"badge badge-{status.Replace('_', '-')}";
}
