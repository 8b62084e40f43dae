namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// The consumers' idempotency record (table processed_messages), written in the transaction that
/// makes the message's effect: both commit or neither, so a redelivered message finds its row and
/// a crashed attempt leaves none.
/// </summary>
public static class ProcessedMessages
{
    private const string PrimaryKey = "processed_messages_pkey";

    /// <summary>
    /// A plain INSERT, no ON CONFLICT: a message processed before makes it fail, and with it the
    /// batch it travels in, so none of the handler's statements behind it run.
    /// </summary>
    public static NpgsqlBatchCommand RecordCommand(string consumer, string messageId) =>
        new("INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2)")
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = consumer },
                new NpgsqlParameter<string> { TypedValue = messageId },
            },
        };

    /// <summary>Whether <paramref name="exception"/> says the message was processed before (its record exists).</summary>
    public static bool IsDuplicate(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PrimaryKey };
}
