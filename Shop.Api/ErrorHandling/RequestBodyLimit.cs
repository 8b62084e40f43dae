using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// Refuses bodies over 1 MB with 413 before parsing them when Content-Length announces the size.
/// Chunked bodies are cut off by Kestrel's MaxRequestBodySize (same limit) while being read,
/// which <see cref="BadRequestExceptionHandler"/> turns into the same 413 problem.
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

        await next(context);
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
