using Npgsql;

namespace Shop.Api.Outbox;

/// <summary>A claimed, not yet sent outbox row.</summary>
public sealed record PendingMessage(
    Guid Id, string RoutingKey, string MessageType, string Payload, string? TraceParent, string? TraceState, DateTime CreatedAt);

/// <summary>The relay's SQL: claim a batch, mark it sent or failed.</summary>
public sealed class OutboxStore
{
    /// <summary>
    /// Locks up to <paramref name="batchSize"/> of the oldest unsent rows in <paramref name="transaction"/>.
    /// SKIP LOCKED makes concurrent relays take disjoint batches instead of queueing behind each
    /// other; the locks hold until the transaction ends, i.e. until the batch is marked.
    /// </summary>
    public async Task<IReadOnlyList<PendingMessage>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, routing_key, message_type, payload::text, traceparent, tracestate, created_at
            FROM outbox_messages
            WHERE sent_at IS NULL
            ORDER BY created_at, id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("batch", batchSize);
        var claimed = new List<PendingMessage>(batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new PendingMessage(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetDateTime(6)));
        }
        return claimed;
    }

    public async Task MarkSentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Guid> ids, string? note, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        // A message that failed before keeps its last error once sent: an operator (and the relay
        // test) can tell a retried publish from one that was claimed twice.
        await using var command = new NpgsqlCommand(
            "UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = COALESCE(@note, last_error) WHERE id = ANY(@ids)", connection, transaction);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)note ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Guid> ids, string error, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(
            "UPDATE outbox_messages SET attempts = attempts + 1, last_error = @error WHERE id = ANY(@ids)", connection, transaction);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("error", error.Length > 500 ? error[..500] : error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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

public sealed record OutboxBacklog(long Pending, double OldestPendingAgeSeconds);

public sealed record OutboxLag(long SentInWindow, double P50Seconds, double P95Seconds, double MaxSeconds);
