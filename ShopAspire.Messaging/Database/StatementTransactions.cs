using Npgsql;

namespace ShopAspire.Messaging.Database;

/// <summary>
/// Transactions begun and committed by BEGIN and COMMIT statements inside batches (checkout, the
/// outbox relay, the worker's deliveries), not through NpgsqlTransaction, whose BEGIN and COMMIT
/// would each be a round trip of their own. Npgsql follows the state the server reports; a path
/// that does not commit ends the transaction here.
/// </summary>
public static class StatementTransactions
{
    /// <summary>
    /// ROLLBACK, whatever the caller's cancellation (a client that hung up must not leave the
    /// transaction open); a broken connection needs none: the server rolls back a transaction whose
    /// connection is gone.
    /// </summary>
    public static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke under the rollback: the same.
        }
    }
}
