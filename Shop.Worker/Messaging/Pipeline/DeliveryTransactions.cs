namespace Shop.Worker.Messaging.Pipeline;

/// <summary>The transaction a delivery is handled in, with the message already recorded as processed.</summary>
public interface IDeliveryTransaction : IAsyncDisposable
{
    NpgsqlConnection Connection { get; }

    NpgsqlTransaction Transaction { get; }

    Task CommitAsync();
}

/// <summary>Opens delivery transactions: null when the consumer processed the message before (a duplicate).</summary>
public interface IDeliveryTransactions
{
    Task<IDeliveryTransaction?> BeginAsync(string consumer, string messageId, CancellationToken cancellationToken);
}

/// <summary>
/// Postgres: BEGIN and the processed_messages insert go in the first round trip (Npgsql sends a
/// transaction's BEGIN with its first statement). A concurrent duplicate blocks on the primary
/// key until the first commits (then finds the row) or rolls back (then takes over), so two
/// deliveries of one message never run the handler side by side, a payment call included.
/// </summary>
public sealed class PostgresDeliveryTransactions(NpgsqlDataSource dataSource) : IDeliveryTransactions
{
    public async Task<IDeliveryTransaction?> BeginAsync(string consumer, string messageId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await ProcessedMessages.TryRecordAsync(connection, transaction, consumer, messageId, cancellationToken))
            {
                await connection.DisposeAsync();
                return null;
            }
            return new Delivery(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Delivery(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDeliveryTransaction
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Transaction => transaction;

        // Not cancellable: once the handler's work is done (a charge made, a mail sent) its record must land.
        public Task CommitAsync() => transaction.CommitAsync(CancellationToken.None);

        // Disposing an uncommitted transaction rolls it back; the connection goes back to the pool.
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
