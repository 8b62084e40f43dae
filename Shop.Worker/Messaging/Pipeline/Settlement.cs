namespace Shop.Worker.Messaging.Pipeline;

/// <summary>What the broker is told about a delivery.</summary>
public enum SettlementAction
{
    /// <summary>Ack: the message is gone.</summary>
    Ack,

    /// <summary>Nack with requeue: the next consumer takes it (we are stopping).</summary>
    Requeue,

    /// <summary>Republished to the consumer's retry queue (with confirms), then acked.</summary>
    RetryLater,

    /// <summary>Republished to the consumer's dead-letter queue with the reason, then acked.</summary>
    DeadLetter,
}

/// <summary>
/// The outcome policy: a Retry counts towards the consumer's poison limit (the attempt number
/// travels in the x-shop-attempt header), a Defer waits without counting, poison goes straight
/// to the dead letters, and a message that failed <c>maxAttempts</c> times does too.
/// </summary>
/// <param name="Attempt">The attempt number the republished message carries.</param>
/// <param name="Outcome">The outcome as the metrics and traces report it (a Retry over the limit is Poison).</param>
public readonly record struct Settlement(SettlementAction Action, HandleOutcome Outcome, int Attempt, string? Reason)
{
    public static Settlement For(HandleResult result, int attempt, int maxAttempts) => result.Outcome switch
    {
        HandleOutcome.Done => new(SettlementAction.Ack, HandleOutcome.Done, attempt, null),
        HandleOutcome.Requeue => new(SettlementAction.Requeue, HandleOutcome.Requeue, attempt, null),
        HandleOutcome.Retry when attempt >= maxAttempts =>
            new(SettlementAction.DeadLetter, HandleOutcome.Poison, attempt, $"failed {attempt} times; last error: {result.Reason}"),
        HandleOutcome.Retry => new(SettlementAction.RetryLater, HandleOutcome.Retry, attempt + 1, result.Reason),
        HandleOutcome.Defer => new(SettlementAction.RetryLater, HandleOutcome.Defer, attempt, result.Reason),
        HandleOutcome.Poison => new(SettlementAction.DeadLetter, HandleOutcome.Poison, attempt, result.Reason),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "unknown outcome"),
    };
}
