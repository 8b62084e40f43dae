namespace Shop.Worker.Messaging;

/// <summary>What a handler decided about one message; the consumer settles it with the broker accordingly.</summary>
public enum HandleOutcome
{
    /// <summary>Done, or done before (a duplicate): ack.</summary>
    Done,

    /// <summary>Failed, may work later: back through the retry queue; counts towards the poison limit.</summary>
    Retry,

    /// <summary>Cannot be done now through no fault of the message (payment breaker open): retry later, not counted.</summary>
    Defer,

    /// <summary>Can never succeed (undeserializable, refers to nothing): dead-letter queue with the reason.</summary>
    Poison,

    /// <summary>Not done because we are stopping: back to the queue for the next consumer.</summary>
    Requeue,
}

public readonly record struct HandleResult(HandleOutcome Outcome, string? Reason = null)
{
    public static HandleResult Done => new(HandleOutcome.Done);

    public static HandleResult Requeue => new(HandleOutcome.Requeue);

    public static HandleResult Retry(string reason) => new(HandleOutcome.Retry, reason);

    public static HandleResult Defer(string reason) => new(HandleOutcome.Defer, reason);

    public static HandleResult Poison(string reason) => new(HandleOutcome.Poison, reason);
}

/// <summary>One delivery as a handler sees it.</summary>
public sealed record IncomingMessage(string MessageId, string RoutingKey, ReadOnlyMemory<byte> Body, int Attempt, bool Redelivered);

/// <summary>Handles the messages of one consumer. Must be idempotent: the same message may arrive twice.</summary>
public interface IMessageHandler
{
    /// <param name="stoppingToken">Cancelled when the worker stops: give up and return Requeue.</param>
    Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken);
}
