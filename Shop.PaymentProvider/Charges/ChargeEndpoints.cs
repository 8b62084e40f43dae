using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shop.PaymentProvider.Charges;

internal static class ChargeEndpoints
{
    /// <summary>
    /// POST /v1/charges. Same Idempotency-Key: the same charge comes back (with
    /// Idempotent-Replayed: true), never a second one. Declines are 402 and final for that key.
    /// </summary>
    public static async Task<IResult> CreateAsync(
        ChargeRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ChargeStore store,
        ProviderBehaviourState behaviourState,
        ProviderCounters counters,
        HttpRequest httpRequest,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = request.Validate(idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        Interlocked.Increment(ref counters.Requests);
        var behaviour = behaviourState.Current;

        if (behaviour.LatencyMilliseconds > 0)
        {
            await Task.Delay(behaviour.LatencyMilliseconds, cancellationToken);
        }
        if (Random.Shared.NextDouble() < behaviour.StallRate)
        {
            // A stalled provider still processes the request in the end: the client that gave up
            // retries with the same key and must get this very charge, not a second one.
            Interlocked.Increment(ref counters.Stalls);
            await Task.Delay(behaviour.StallMilliseconds, CancellationToken.None);
        }
        var fail = Random.Shared.NextDouble() < behaviour.FailureRate;
        var failBeforeRecording = fail && Random.Shared.Next(2) == 0;
        if (failBeforeRecording)
        {
            Interlocked.Increment(ref counters.InjectedFailures);
            return TypedResults.Problem("The provider is temporarily unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var declined = behaviour.DeclineAmounts.Contains(request.Amount);
        var candidate = new Charge(
            $"ch_{Guid.CreateVersion7():N}", idempotencyKey!, request.Reference!, request.Amount, request.Currency!.ToUpperInvariant(),
            declined ? Charge.Declined : Charge.Succeeded, declined ? "insufficient_funds" : null, DateTime.UtcNow,
            httpRequest.Headers.TryGetValue("traceparent", out var traceParent) ? traceParent.ToString() : null);
        // Not the request's token: once we decided to record, a client hanging up must not leave it half done.
        var (charge, replayed) = await store.RecordAsync(candidate, CancellationToken.None);

        if (fail)
        {
            // The charge exists, the answer is lost: the nastiest failure for a client without idempotency keys.
            Interlocked.Increment(ref counters.InjectedFailures);
            return TypedResults.Problem("Internal error after processing.", statusCode: StatusCodes.Status500InternalServerError);
        }
        if (replayed)
        {
            Interlocked.Increment(ref counters.IdempotentReplays);
            if (charge.Amount != candidate.Amount || charge.Currency != candidate.Currency || charge.Reference != candidate.Reference)
            {
                return TypedResults.Problem("The Idempotency-Key was used with another request.", statusCode: StatusCodes.Status422UnprocessableEntity);
            }
            response.Headers["Idempotent-Replayed"] = "true";
        }
        return charge.Status == Charge.Declined
            ? TypedResults.Json(charge, statusCode: StatusCodes.Status402PaymentRequired)
            : TypedResults.Created($"/v1/charges/{charge.Id}", charge);
    }

    public static async Task<Ok<IReadOnlyList<Charge>>> ListAsync(string reference, ChargeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListByReferenceAsync(reference, cancellationToken));

    public static async Task<Ok<ChargeStats>> StatsAsync(ChargeStore store, ProviderCounters counters, CancellationToken cancellationToken)
    {
        var (charges, succeeded, declined, distinct, duplicated) = await store.CountAsync(cancellationToken);
        return TypedResults.Ok(new ChargeStats(charges, succeeded, declined, distinct, duplicated,
            Interlocked.Read(ref counters.Requests), Interlocked.Read(ref counters.InjectedFailures),
            Interlocked.Read(ref counters.Stalls), Interlocked.Read(ref counters.IdempotentReplays)));
    }
}

/// <summary>Request counters since the provider started (the ledger itself is in the database).</summary>
public sealed class ProviderCounters
{
    public long Requests;
    public long InjectedFailures;
    public long Stalls;
    public long IdempotentReplays;
}
