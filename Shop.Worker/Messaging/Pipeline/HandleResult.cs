namespace Shop.Worker.Messaging.Pipeline;

/// <summary>What became of one message; <see cref="Settlement"/> turns it into what the broker is told.</summary>
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

/// <summary>One delivery as the pipeline sees it.</summary>
public sealed record IncomingMessage(string MessageId, string RoutingKey, ReadOnlyMemory<byte> Body, int Attempt, bool Redelivered);

/// <summary>Turns one delivery into an outcome; <see cref="QueueConsumer"/> settles it with the broker.</summary>
public interface IMessageHandler
{
    /// <param name="stoppingToken">Cancelled when the worker stops: give up and return Requeue.</param>
    Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken);
}
