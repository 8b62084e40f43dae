using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace ShopAspire.Messaging.Outbox;

/// <summary>
/// Appends messages to outbox_messages inside the caller's transaction: the api's when it places
/// an order, the worker's when a payment changes one. It never publishes; the api's relay does
/// that after commit, so a message exists exactly when its change does.
/// </summary>
public sealed class OutboxWriter
{
    private const string InsertSql = """
        INSERT INTO outbox_messages (id, routing_key, message_type, payload, traceparent, tracestate)
        VALUES ($1, $2, $3, $4, $5, $6)
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(InsertSql, connection, transaction);
        foreach (var parameter in ParametersFor(message))
        {
            command.Parameters.Add(parameter);
        }
        return ExecuteAsync(command, cancellationToken);
    }

    /// <summary>The insert as a batch command, to go with the other statements of the caller's transaction in one round trip.</summary>
    public NpgsqlBatchCommand CommandFor(OutboxMessage message)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        foreach (var parameter in ParametersFor(message))
        {
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static IEnumerable<NpgsqlParameter> ParametersFor(OutboxMessage message)
    {
        // The current span (the request's, or the consumer's) travels with the message, so the
        // relay's publish and the next consumer join the same trace.
        var activity = Activity.Current;
        yield return new NpgsqlParameter<Guid> { TypedValue = message.Id };
        yield return new NpgsqlParameter<string> { TypedValue = message.RoutingKey };
        yield return new NpgsqlParameter<string> { TypedValue = message.MessageType };
        yield return new NpgsqlParameter<string>
        {
            NpgsqlDbType = NpgsqlDbType.Jsonb,
            TypedValue = JsonSerializer.Serialize(message.Payload, message.Payload.GetType(), JsonOptions),
        };
        yield return new NpgsqlParameter { Value = (object?)activity?.Id ?? DBNull.Value };
        yield return new NpgsqlParameter { Value = (object?)activity?.TraceStateString ?? DBNull.Value };
    }

    private static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
