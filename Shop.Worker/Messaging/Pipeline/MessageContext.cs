using ShopAspire.Messaging.Outbox;

namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// What a handler gets besides its event: the delivery, and the connection and transaction the
/// pipeline opened, in which the message is already recorded as processed. Whatever the handler
/// writes there, events it publishes through the outbox included, commits with that record or not at all.
/// </summary>
public sealed class MessageContext(IncomingMessage message, NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxWriter outbox)
{
    public string MessageId => message.MessageId;

    public int Attempt => message.Attempt;

    public NpgsqlConnection Connection => connection;

    public NpgsqlTransaction Transaction => transaction;

    /// <summary>The outbox insert of an event, for a batch with the handler's other statements (one round trip).</summary>
    public NpgsqlBatchCommand OutboxCommand<TEvent>(Guid eventId, string routingKey, TEvent @event)
        where TEvent : notnull => outbox.CommandFor(OutboxMessage.For(eventId, routingKey, @event));

    /// <summary>A batch in the delivery's transaction.</summary>
    public NpgsqlBatch CreateBatch() => new(connection, transaction);
}
