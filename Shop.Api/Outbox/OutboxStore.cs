using Npgsql;

namespace Shop.Api.Outbox;

/// <summary>A claimed, not yet sent outbox row.</summary>
public sealed record PendingMessage(
    Guid Id, string RoutingKey, string MessageType, string Payload, string? TraceParent, string? TraceState, DateTime CreatedAt);

/// <summary>The relay's SQL: claim a batch, mark it sent or failed; two round trips a batch.</summary>
public sealed class OutboxStore
{
    /// <summary>
    /// Begins a transaction and locks up to <paramref name="batchSize"/> of the oldest unsent rows
    /// in it, in one round trip. SKIP LOCKED makes concurrent relays take disjoint batches instead
    /// of queueing behind each other; the locks hold until <see cref="SettleAsync"/> commits (or
    /// the connection goes back to the pool rolled back).
    /// </summary>
    public async Task<IReadOnlyList<PendingMessage>> ClaimAsync(NpgsqlConnection connection, int batchSize, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT id, routing_key, message_type, payload::text, traceparent, tracestate, created_at
            FROM outbox_messages
            WHERE sent_at IS NULL
            ORDER BY created_at, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
            """)
        {
            Parameters = { new NpgsqlParameter<int> { TypedValue = batchSize } },
        });
        var claimed = new List<PendingMessage>(batchSize);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new PendingMessage(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetDateTime(6)));
        }
        return claimed;
    }

    /// <summary>
    /// Marks the claimed batch, as the broker answered, and commits, in one round trip: confirmed
    /// and unroutable messages are sent, failed ones keep their error for the next attempt.
    /// </summary>
    public async Task SettleAsync(NpgsqlConnection connection, RelayOutcome outcome, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        // A message that failed before keeps its last error once sent: an operator (and the relay
        // test) can tell a retried publish from one that was claimed twice.
        const string markSent = "UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = COALESCE($2, last_error) WHERE id = ANY($1)";
        if (outcome.Confirmed.Count > 0)
        {
            batch.BatchCommands.Add(Command(markSent, outcome.Confirmed, null));
        }
        if (outcome.Unroutable.Count > 0)
        {
            batch.BatchCommands.Add(Command(markSent, outcome.Unroutable, "unroutable: no queue bound to the routing key"));
        }
        if (outcome.Failed.Count > 0)
        {
            var error = outcome.Error.Length > 500 ? outcome.Error[..500] : outcome.Error;
            batch.BatchCommands.Add(Command("UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)", outcome.Failed, error));
        }
        // After an error the server skips the rest of the batch, the COMMIT included.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyCollection<Guid> ids, string? text) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid[]> { TypedValue = [.. ids] },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)text ?? DBNull.Value },
        },
    };

    /// <summary>Backlog and age of the oldest unsent message: the relay's health in two numbers.</summary>
    public async Task<OutboxBacklog> MeasureBacklogAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
            FROM outbox_messages WHERE sent_at IS NULL
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxBacklog(reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <summary>Lag (created → sent) percentiles over the messages sent in the last <paramref name="window"/>.</summary>
    public async Task<OutboxLag> MeasureLagAsync(NpgsqlDataSource dataSource, TimeSpan window, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT count(*),
                   COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sent_at - created_at)), 0)::float8,
                   COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sent_at - created_at)), 0)::float8,
                   COALESCE(max(EXTRACT(EPOCH FROM sent_at - created_at)), 0)::float8
            FROM outbox_messages
            WHERE sent_at > now() - @window
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("window", window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxLag(reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
    }
}

/// <summary>What the broker said to each message of a claimed batch.</summary>
public sealed record RelayOutcome(IReadOnlyCollection<Guid> Confirmed, IReadOnlyCollection<Guid> Unroutable, IReadOnlyCollection<Guid> Failed, string Error);

public sealed record OutboxBacklog(long Pending, double OldestPendingAgeSeconds);

public sealed record OutboxLag(long SentInWindow, double P50Seconds, double P95Seconds, double MaxSeconds);
