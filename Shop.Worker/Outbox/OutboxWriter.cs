using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Worker.Outbox;

/// <summary>
/// The worker's events (orders.paid, orders.status-changed...) go through the same
/// outbox_messages table as the API's, inside the transaction that changes the order, and the
/// API's relay publishes them. Same shape as Shop.Api's OutboxWriter; the worker does not
/// reference the API.
/// </summary>
public sealed class OutboxWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task AddAsync<TEvent>(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid eventId, string routingKey, TEvent @event, CancellationToken cancellationToken)
        where TEvent : notnull
    {
        const string sql = """
            INSERT INTO outbox_messages (id, routing_key, message_type, payload, traceparent, tracestate)
            VALUES (@id, @routing_key, @message_type, @payload, @traceparent, @tracestate)
            """;
        // The consumer's span is the parent: the next hop stays in the checkout's trace.
        var activity = Activity.Current;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", eventId);
        command.Parameters.AddWithValue("routing_key", routingKey);
        command.Parameters.AddWithValue("message_type", typeof(TEvent).Name);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(@event, JsonOptions) });
        command.Parameters.AddWithValue("traceparent", (object?)activity?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("tracestate", (object?)activity?.TraceStateString ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
