namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// The consumers' idempotency record (table processed_messages), written in the transaction that
/// makes the message's effect: both commit or neither, so a redelivered message finds its row and
/// a crashed attempt leaves none.
/// </summary>
public static class ProcessedMessages
{
    /// <returns>False when <paramref name="consumer"/> already processed <paramref name="messageId"/>.</returns>
    public static async Task<bool> TryRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string consumer, string messageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
