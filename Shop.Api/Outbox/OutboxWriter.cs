using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Api.Outbox;

/// <summary>
/// Appends messages to outbox_messages inside the caller's transaction. It never publishes:
/// the relay does that after commit, so a message exists exactly when its change does.
/// </summary>
public sealed class OutboxWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO outbox_messages (id, routing_key, message_type, payload, traceparent, tracestate)
            VALUES (@id, @routing_key, @message_type, @payload, @traceparent, @tracestate)
            """;

        // The request's trace context travels with the message, so the relay's publish and the
        // worker's handling join the checkout's trace.
        var activity = Activity.Current;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", message.Id);
        command.Parameters.AddWithValue("routing_key", message.RoutingKey);
        command.Parameters.AddWithValue("message_type", message.MessageType);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(message.Payload, message.Payload.GetType(), JsonOptions),
        });
        command.Parameters.AddWithValue("traceparent", (object?)activity?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("tracestate", (object?)activity?.TraceStateString ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
