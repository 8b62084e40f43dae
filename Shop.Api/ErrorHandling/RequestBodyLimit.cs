using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// Refuses bodies over 1 MB with a 413 problem: at once when Content-Length announces the size,
/// while reading for chunked bodies (then <see cref="BadRequestExceptionHandler"/> writes it).
/// Kestrel's MaxRequestBodySize (same 1 MB) backs this up for anything else.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IProblemDetailsService problems)
{
    public const long MaxBytes = 1024 * 1024;

    // A client that sends its whole body before reading the answer (most do, without
    // Expect: 100-continue) would see a broken pipe instead of the 413 if the server hung up
    // mid-upload. Bodies up to this size are read and thrown away first so the client gets the
    // problem; beyond it the connection is closed (that much traffic is not worth accepting).
    private const long MaxDrainBytes = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length && length > MaxBytes)
        {
            if (length <= MaxDrainBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxDrainBytes;
                await DrainAsync(context);
            }

            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.Headers.Connection = "close";
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = TooLarge() });
            return;
        }

        if (context.Request.ContentLength is null
            && context.Request.Headers.TransferEncoding.Count > 0
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } chunkedLimit)
        {
            await InvokeWithChunkedLimitAsync(context, chunkedLimit);
            return;
        }

        await next(context);
    }

    /// <summary>
    /// A chunked body's size shows only while reading: the 1 MB limit is enforced by a stream
    /// wrapper, Kestrel's own limit is raised to the drain size, and the remainder is drained
    /// before the 413 goes out (see <see cref="MaxDrainBytes"/>).
    /// </summary>
    private async Task InvokeWithChunkedLimitAsync(HttpContext context, IHttpMaxRequestBodySizeFeature kestrelLimit)
    {
        kestrelLimit.MaxRequestBodySize = MaxDrainBytes;
        var original = context.Request.Body;
        var limited = new BodySizeLimitedStream(original, MaxBytes);
        context.Request.Body = limited;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Body = original;
            if (limited.LimitExceeded)
            {
                await DrainAsync(context);
            }
        }
    }

    private static async Task DrainAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client gave up or lied about the length: answer anyway.
        }
    }

    public static ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Detail = $"The request body must be at most {MaxBytes / 1024 / 1024} MB.",
    };
}
