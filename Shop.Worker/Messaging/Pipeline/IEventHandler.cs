namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// The business logic for one event, and nothing else: <see cref="MessagePipeline{TEvent, THandler}"/>
/// parses and validates the message, opens a DI scope and the transaction, records the message as
/// processed (with the handler's first batch: a duplicate fails there, so a handler does nothing
/// outside the database before it), commits when the handler returns Done and rolls back
/// otherwise; <see cref="QueueConsumer"/> settles it with the broker.
/// </summary>
public interface IEventHandler<in TEvent>
    where TEvent : class, IConsumedEvent<TEvent>
{
    Task<HandleResult> HandleAsync(TEvent message, MessageContext context, CancellationToken stoppingToken);
}

/// <summary>An event a consumer reads: its own copy of the fields it needs (a tolerant reader), and what makes one unusable.</summary>
public interface IConsumedEvent<in TSelf>
    where TSelf : class
{
    /// <summary>Why the message can never be handled (a poison message), or null when it is usable.</summary>
    static abstract string? Validate(TSelf message);
}
