using Npgsql;

namespace Shop.Worker.Messaging;

/// <summary>
/// The idempotency record of the consumers (table processed_messages). Call it in the transaction
/// that makes the message's effect: both commit or neither, so a redelivered message finds its
/// row and a crashed attempt leaves none. A concurrent duplicate waits on the primary key until
/// the first commits, then finds the row.
/// </summary>
public static class ProcessedMessages
{
    /// <returns>False when <paramref name="consumer"/> already processed <paramref name="messageId"/>.</returns>
    public static async Task<bool> TryRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string consumer, string messageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO processed_messages (consumer, message_id) VALUES (@consumer, @id) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.AddWithValue("consumer", consumer);
        command.Parameters.AddWithValue("id", messageId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A cheap look before doing slow work (a payment call); the insert above stays the guarantee.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, string consumer, string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM processed_messages WHERE consumer = @consumer AND message_id = @id)");
        command.Parameters.AddWithValue("consumer", consumer);
        command.Parameters.AddWithValue("id", messageId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
