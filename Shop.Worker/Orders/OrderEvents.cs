using System.Text.Json;

namespace Shop.Worker.Orders;

/// <summary>The order events of docs/api.md (camelCase JSON on shop.events).</summary>
public static class OrderEvents
{
    public const string Placed = "orders.placed";
    public const string Paid = "orders.paid";
    public const string PaymentFailed = "orders.payment-failed";
    public const string StatusChanged = "orders.status-changed";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The message, or null and why not (a poison message).</summary>
    public static T? TryParse<T>(ReadOnlyMemory<byte> body, Func<T, string?> validate, out string? problem) where T : class
    {
        try
        {
            var message = JsonSerializer.Deserialize<T>(body.Span, JsonOptions);
            problem = message is null ? "body is JSON null" : validate(message);
            return problem is null ? message : null;
        }
        catch (JsonException ex)
        {
            problem = $"not a {typeof(T).Name}: {ex.Message}";
            return null;
        }
    }
}

public sealed record OrderPlaced(Guid EventId, Guid OrderId, Guid CustomerId, decimal Total, string Currency, DateTimeOffset OccurredAt)
{
    public static string? Validate(OrderPlaced m) =>
        m.OrderId == Guid.Empty ? "orderId is missing" : m.Currency is not { Length: 3 } ? "currency is missing" : m.Total < 0 ? "total is negative" : null;
}

public sealed record OrderPaid(Guid EventId, Guid OrderId, Guid CustomerId, string ChargeId, decimal Total, string Currency, DateTimeOffset OccurredAt)
{
    public static string? Validate(OrderPaid m) =>
        m.OrderId == Guid.Empty ? "orderId is missing" : m.Currency is not { Length: 3 } ? "currency is missing" : null;
}

public sealed record OrderPaymentFailed(Guid EventId, Guid OrderId, Guid CustomerId, string Reason, DateTimeOffset OccurredAt);

public sealed record OrderStatusChanged(Guid EventId, Guid OrderId, Guid CustomerId, string Status, DateTimeOffset At);
