using System.Text.Json;
using Npgsql;

namespace Shop.Api.Idempotency;

/// <summary>
/// The free Idempotency-Key of the current request (an HttpContext feature the middleware sets)
/// for an endpoint that claims it in its own transaction: the key is written already completed
/// with the endpoint's effect (an order and its key, or neither), so there is no separate claim
/// and completion. Set only for endpoints mapped with <c>RequireIdempotencyKey(claimedInEndpointTransaction: true)</c>.
/// </summary>
public sealed class IdempotencyRecord(Guid customerId, string key, byte[] requestHash, IdempotencyStore store)
{
    public byte[] RequestHash => requestHash;

    /// <summary>The response recorded in the endpoint's transaction, once that transaction committed.</summary>
    public StoredResponse? CompletedInTransaction { get; private set; }

    /// <summary>Whether another request claimed the key before the endpoint's transaction could.</summary>
    public bool TakenMeanwhile { get; private set; }

    /// <summary>
    /// The statement that claims this key with <paramref name="response"/>, to run in the
    /// endpoint's transaction. It fails that transaction with <see cref="IdempotencyStore.KeyInFlightSqlState"/>
    /// or <see cref="IdempotencyStore.KeyTakenSqlState"/> when the key is no longer free: then call
    /// <see cref="MarkTakenMeanwhile"/> and the middleware answers as for the request that holds it.
    /// </summary>
    public NpgsqlBatchCommand ClaimCommand(StoredResponse response) => store.ClaimCompletedCommand(customerId, key, requestHash, response);

    /// <summary>Says that the transaction holding <see cref="ClaimCommand"/> committed.</summary>
    public void MarkCompleted(StoredResponse response) => CompletedInTransaction = response;

    /// <summary>Says that <see cref="ClaimCommand"/> failed its transaction: the key belongs to another request.</summary>
    public void MarkTakenMeanwhile() => TakenMeanwhile = true;

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
