using ShopAspire.Messaging.Outbox;

namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// What a handler gets besides its event: the delivery, and the transaction the pipeline opened
/// for it with the message's processed-message record. Whatever the handler writes there, events
/// it publishes through the outbox included, commits with that record or not at all.
/// </summary>
/// <remarks>
/// A duplicate is found by the handler's first batch (or at the commit, for a handler that only
/// writes): do nothing outside the database before the first batch.
/// </remarks>
public sealed class MessageContext(IncomingMessage message, IDeliveryTransaction delivery, OutboxWriter outbox)
{
    public string MessageId => message.MessageId;

    public int Attempt => message.Attempt;

    /// <summary>A batch to run now, in the delivery's transaction, when the handler needs its results.</summary>
    public NpgsqlBatch CreateBatch() => delivery.CreateBatch();

    /// <summary>A write whose result the handler does not need: it travels with the commit, once the handler returns Done.</summary>
    public void WriteOnCommit(NpgsqlBatchCommand command) => delivery.WriteOnCommit(command);

    /// <summary>Publishes an event through the outbox: its insert travels with the commit.</summary>
    public void PublishOnCommit<TEvent>(Guid eventId, string routingKey, TEvent @event)
        where TEvent : notnull => delivery.WriteOnCommit(outbox.CommandFor(OutboxMessage.For(eventId, routingKey, @event)));
}
