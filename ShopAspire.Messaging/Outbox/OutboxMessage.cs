namespace ShopAspire.Messaging.Outbox;

/// <summary>An event to publish once the transaction that produced it commits.</summary>
/// <param name="Id">UUIDv7; becomes the AMQP message-id, the key consumers de-duplicate on.</param>
/// <param name="RoutingKey">One of <see cref="ShopEvents"/>' event names.</param>
public sealed record OutboxMessage(Guid Id, string RoutingKey, string MessageType, object Payload)
{
    public static OutboxMessage For<TEvent>(Guid id, string routingKey, TEvent @event)
        where TEvent : notnull => new(id, routingKey, typeof(TEvent).Name, @event);
}
