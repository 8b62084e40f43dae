namespace Shop.Api.Outbox;

/// <summary>An event to publish once the transaction that produced it commits.</summary>
/// <param name="Id">UUIDv7; becomes the AMQP message-id, the key consumers de-duplicate on.</param>
public sealed record OutboxMessage(Guid Id, string RoutingKey, string MessageType, object Payload);
