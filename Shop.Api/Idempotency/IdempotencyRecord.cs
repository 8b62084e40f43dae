using System.Text.Json;
using Npgsql;

namespace Shop.Api.Idempotency;

/// <summary>
/// The claimed Idempotency-Key of the current request (an HttpContext feature the middleware
/// sets), for an endpoint that records its response in its own transaction: then the record
/// commits with the effect (an order and its key, or neither) and the middleware's separate
/// completion write is saved. Endpoints that do not use it are completed by the middleware.
/// </summary>
public sealed class IdempotencyRecord(Guid customerId, string key, IdempotencyStore store)
{
    /// <summary>The response recorded in the endpoint's transaction, once that transaction committed.</summary>
    public StoredResponse? CompletedInTransaction { get; private set; }

    /// <summary>The statement that records <paramref name="response"/> for this key, to run in the endpoint's transaction.</summary>
    public NpgsqlBatchCommand CompletionCommand(StoredResponse response) => store.CompletionCommand(customerId, key, response);

    /// <summary>Says that the transaction holding <see cref="CompletionCommand"/> committed.</summary>
    public void MarkCompleted(StoredResponse response) => CompletedInTransaction = response;

    /// <summary>A JSON response as the endpoint's typed result writes it (same serializer options, so the same bytes).</summary>
    public static StoredResponse Json<T>(int status, T value, JsonSerializerOptions options, string? location = null)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8" };
        if (location is not null)
        {
            headers["Location"] = location;
        }
        return new StoredResponse(status, headers, JsonSerializer.SerializeToUtf8Bytes(value, options));
    }

    /// <summary>Whether the response the client gets is the one recorded (else the middleware records it).</summary>
    public static bool SameResponse(StoredResponse recorded, StoredResponse sent) =>
        recorded.Status == sent.Status &&
        recorded.Body.AsSpan().SequenceEqual(sent.Body) &&
        recorded.Headers.Count == sent.Headers.Count &&
        recorded.Headers.All(h => sent.Headers.TryGetValue(h.Key, out var value) && value == h.Value);
}
