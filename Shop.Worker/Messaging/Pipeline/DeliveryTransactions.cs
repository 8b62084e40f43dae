using ShopAspire.Messaging.Database;

namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// The database work of one delivery, in one transaction with the message's processed-message
/// record. Nothing is sent until the handler runs its first batch (which carries BEGIN and the
/// record) or the delivery commits (which carries whatever was left to write, and COMMIT): a
/// handler that only writes costs one round trip. A duplicate surfaces as a unique violation on
/// the record, in whichever of the two comes first (<see cref="ProcessedMessages.IsDuplicate"/>).
/// </summary>
public interface IDeliveryTransaction : IAsyncDisposable
{
    /// <summary>A batch to run now in the transaction; the first one begins it and records the message.</summary>
    NpgsqlBatch CreateBatch();

    /// <summary>A statement whose result nobody reads: sent with the COMMIT, in the same round trip.</summary>
    void WriteOnCommit(NpgsqlBatchCommand command);

    /// <summary>Writes what is left and commits. Not cancellable: once a handler's work is done (a charge made, a mail sent) its record must land.</summary>
    Task CommitAsync();
}

/// <summary>Opens delivery transactions.</summary>
public interface IDeliveryTransactions
{
    Task<IDeliveryTransaction> BeginAsync(string consumer, string messageId, CancellationToken cancellationToken);
}

/// <summary>
/// Postgres, with BEGIN and COMMIT sent as statements inside the batches (<see cref="StatementTransactions"/>). A
/// concurrent duplicate blocks on the record's primary key until the first delivery commits (then
/// fails as a duplicate) or rolls back (then takes over), so two deliveries of one message never
/// run a handler's work side by side, a payment call included.
/// </summary>
public sealed class PostgresDeliveryTransactions(NpgsqlDataSource dataSource) : IDeliveryTransactions
{
    public async Task<IDeliveryTransaction> BeginAsync(string consumer, string messageId, CancellationToken cancellationToken) =>
        new Delivery(await dataSource.OpenConnectionAsync(cancellationToken), consumer, messageId);

    private sealed class Delivery(NpgsqlConnection connection, string consumer, string messageId) : IDeliveryTransaction
    {
        private readonly List<NpgsqlBatchCommand> _onCommit = [];
        private bool _begun;
        private bool _ended;

        public NpgsqlBatch CreateBatch()
        {
            var batch = new NpgsqlBatch(connection);
            BeginIn(batch);
            return batch;
        }

        public void WriteOnCommit(NpgsqlBatchCommand command) => _onCommit.Add(command);

        public async Task CommitAsync()
        {
            await using var batch = new NpgsqlBatch(connection);
            BeginIn(batch);
            foreach (var command in _onCommit)
            {
                batch.BatchCommands.Add(command);
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            // After an error the server skips the rest of the batch, the COMMIT included.
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            _ended = true;
        }

        private void BeginIn(NpgsqlBatch batch)
        {
            if (_begun)
            {
                return;
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            batch.BatchCommands.Add(ProcessedMessages.RecordCommand(consumer, messageId));
            _begun = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_begun && !_ended)
            {
                await StatementTransactions.RollbackAsync(connection);
            }
            await connection.DisposeAsync();
        }
    }
}
