using Microsoft.Extensions.Caching.Memory;

namespace Shop.Web.Orders;

/// <summary>
/// This replica's hub for live order status: the RabbitMQ listener publishes every
/// <c>orders.status-changed</c> event here, and each open order page (an interactive component
/// in some circuit of this replica) subscribes to its own order.
/// </summary>
/// <remarks>
/// The latest change per order is remembered for a few minutes: a page rendered just before the
/// event arrived, whose circuit subscribes just after, still gets it.
/// </remarks>
public sealed class OrderStatusFeed(IMemoryCache recent)
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Func<OrderStatusChanged, Task>>> _subscribers = [];

    public void Publish(OrderStatusChanged change)
    {
        var key = CacheKey(change.OrderId);
        // Redelivered or out-of-order events must not move the page back in time.
        if (recent.TryGetValue(key, out OrderStatusChanged? known) && known!.At > change.At)
        {
            return;
        }
        recent.Set(key, change, Remember);
        Func<OrderStatusChanged, Task>[] handlers;
        lock (_gate)
        {
            handlers = _subscribers.TryGetValue(change.OrderId, out var list) ? [.. list] : [];
        }
        foreach (var handler in handlers)
        {
            _ = handler(change); // each handler marshals onto its own circuit and never throws
        }
    }

    /// <summary>The last change seen for the order in the last few minutes, if any.</summary>
    public OrderStatusChanged? Latest(Guid orderId) =>
        recent.TryGetValue(CacheKey(orderId), out OrderStatusChanged? change) ? change : null;

    public IDisposable Subscribe(Guid orderId, Func<OrderStatusChanged, Task> handler)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(orderId, out var list))
            {
                _subscribers[orderId] = list = [];
            }
            list.Add(handler);
        }
        return new Subscription(() =>
        {
            lock (_gate)
            {
                if (_subscribers.TryGetValue(orderId, out var list) && list.Remove(handler) && list.Count == 0)
                {
                    _subscribers.Remove(orderId);
                }
            }
        });
    }

    private static string CacheKey(Guid orderId) => $"order-status:{orderId}";

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
