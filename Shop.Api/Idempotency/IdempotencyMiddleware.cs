using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Shop.Api.Idempotency;

/// <summary>
/// Idempotency-Key handling (Stripe's semantics, IETF draft-ietf-httpapi-idempotency-key-header)
/// for endpoints marked with <see cref="IdempotencyExtensions.RequireIdempotencyKey{TBuilder}"/>:
/// missing key 400; first request runs and its response (status, Location, Content-Type, body)
/// is stored; the same key with the same method, path and body replays it; with another request
/// 422; while the first still runs 409. Keys are scoped to the signed-in customer.
/// </summary>
/// <remarks>
/// A middleware rather than an endpoint filter: the body must be hashed byte for byte before
/// model binding consumes it, and the response must be captured as the client receives it.
/// Responses with 5xx are not stored, so a retry after a server fault runs again. An endpoint
/// marked to claim the key in its own transaction (checkout) gets an <see cref="IdempotencyRecord"/>:
/// the middleware only looks the key up, and the endpoint writes it, completed, with its effect.
/// </remarks>
public sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyStore store,
    IOptions<IdempotencyOptions> options,
    ILogger<IdempotencyMiddleware> logger)
{
    private static readonly string[] ReplayedHeaders = ["Location", "Content-Type"];
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresIdempotencyKey>() is not { } requirement)
        {
            await next(context);
            return;
        }

        var keys = context.Request.Headers[IdempotencyOptions.HeaderName];
        var key = keys.Count == 1 ? keys[0] : null;
        // Stored with the response and compared byte for byte: visible ASCII only, so no control
        // character, NUL or text a proxy would re-encode ever reaches the table.
        if (string.IsNullOrWhiteSpace(key) || ClientText.Problem(key, IdempotencyOptions.HeaderName, IdempotencyOptions.MaxKeyLength, TextShape.Token) is not null)
        {
            await TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    [IdempotencyOptions.HeaderName] = [$"Send exactly one {IdempotencyOptions.HeaderName} header of 1 to {IdempotencyOptions.MaxKeyLength} visible ASCII characters, for example a UUID, and reuse it when retrying."],
                },
                title: $"The {IdempotencyOptions.HeaderName} header is required.").ExecuteAsync(context);
            return;
        }

        if (!Guid.TryParse(context.User.FindFirstValue(JwtRegisteredClaimNames.Sub), out var customerId))
        {
            // The endpoint's authorization policy runs first; reaching here unauthenticated means
            // the endpoint was mapped without one, and keys cannot be scoped.
            await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in to use idempotency keys.").ExecuteAsync(context);
            return;
        }

        var body = await ReadBodyAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.",
                detail: $"The body may be at most {options.Value.MaxBodyBytes} bytes.").ExecuteAsync(context);
            return;
        }
        // The endpoint binds from the bytes already read.
        context.Request.Body = new MemoryStream(body, writable: false);
        var requestHash = Fingerprint(context.Request, body);

        // An endpoint that claims the key in its own transaction only needs to know whether the
        // key is free: the claim is written, already completed, with the endpoint's effect.
        var claimedByEndpoint = requirement.ClaimedInEndpointTransaction;
        var claim = claimedByEndpoint
            ? await store.LookAsync(customerId, key, requestHash, context.RequestAborted)
            : await store.ClaimAsync(customerId, key, requestHash, context.RequestAborted);
        if (claim is KeyClaim.Claimed)
        {
            await RunAndStoreAsync(context, customerId, key, claimedByEndpoint ? new IdempotencyRecord(customerId, key, requestHash, store) : null);
        }
        else
        {
            await AnswerFromKeyAsync(context, claim);
        }
    }

    /// <summary>The answer for a key this request does not hold: replay, 422 or 409.</summary>
    private static async Task AnswerFromKeyAsync(HttpContext context, KeyClaim claim)
    {
        switch (claim)
        {
            case KeyClaim.Mismatch:
                await TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, type: ShopProblemTypes.IdempotencyKeyReused,
                    title: "Idempotency key reused with another request.",
                    detail: "This key was first used with a different method, path or body; use a new key for a new request.").ExecuteAsync(context);
                return;

            case KeyClaim.Completed completed:
                await ReplayAsync(context, completed.Response);
                return;

            default:
                // In flight, or (for an endpoint's own claim) held a moment ago by a request that has since let it go.
                context.Response.Headers.RetryAfter = "1";
                await TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: ShopProblemTypes.IdempotencyKeyInFlight,
                    title: "A request with this idempotency key is still being processed.",
                    detail: "Retry shortly with the same key to get its response.").ExecuteAsync(context);
                return;
        }
    }

    /// <param name="record">For an endpoint that claims the key in its own transaction; null when the middleware has claimed it.</param>
    private async Task RunAndStoreAsync(HttpContext context, Guid customerId, string key, IdempotencyRecord? record)
    {
        if (record is not null)
        {
            context.Features.Set(record);
        }
        var clientBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        StoredResponse? response = null;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                response = new StoredResponse(
                    context.Response.StatusCode,
                    ReplayedHeaders.Where(h => context.Response.Headers.ContainsKey(h)).ToDictionary(h => h, h => context.Response.Headers[h].ToString()),
                    captured.ToArray());
            }
        }
        finally
        {
            context.Response.Body = clientBody;
            if (record?.TakenMeanwhile != true)
            {
                await RecordOutcomeAsync(customerId, key, record, response);
            }
        }

        if (record?.TakenMeanwhile == true)
        {
            // Another request claimed the key between the look and the endpoint's transaction,
            // which wrote nothing: answer as for that request.
            // The endpoint's placeholder 409 is not sent; the headers of the middleware before this one stay.
            context.Response.ContentLength = null;
            context.Response.ContentType = null;
            context.Response.Headers.Location = default;
            await AnswerFromKeyAsync(context, await store.LookAsync(customerId, key, record.RequestHash, context.RequestAborted));
            return;
        }
        captured.Position = 0;
        await captured.CopyToAsync(clientBody, context.RequestAborted);
    }

    private async Task RecordOutcomeAsync(Guid customerId, string key, IdempotencyRecord? record, StoredResponse? response)
    {
        // Not the request's token: the outcome must be recorded even if the client hung up.
        using var timeout = new CancellationTokenSource(CompletionTimeout);
        try
        {
            if (record is null)
            {
                await (response is null
                    ? store.ReleaseAsync(customerId, key, timeout.Token)
                    : store.CompleteAsync(customerId, key, response, timeout.Token));
            }
            else if (response is not null && (record.CompletedInTransaction is not { } recorded || !IdempotencyRecord.SameResponse(recorded, response)))
            {
                // A 5xx is not recorded: the endpoint's claim rolled back with its transaction.
                await store.RecordAsync(customerId, key, record.RequestHash, response, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException)
        {
            // A claimed key stays "in flight" until AbandonedAfter (retries get 409 until then);
            // an endpoint's own claim that was never recorded leaves the key free.
            LogNotRecorded(ex, key);
        }
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.Headers["Idempotent-Replayed"] = "true";
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    /// <summary>Reads the whole body, or returns null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>SHA-256 over method, path, query and body: what makes two requests "the same".</summary>
    private static byte[] Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}{request.QueryString}\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of the request with idempotency key {Key} could not be recorded.")]
    private partial void LogNotRecorded(Exception exception, string key);
}
