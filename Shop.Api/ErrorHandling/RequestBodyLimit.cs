using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// Refuses bodies over 1 MB with 413 before reading them when Content-Length announces the size.
/// Chunked bodies are cut off by Kestrel's MaxRequestBodySize (same limit) while being read,
/// which <see cref="BadRequestExceptionHandler"/> turns into the same 413 problem.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IProblemDetailsService problems)
{
    public const long MaxBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = TooLarge() });
            return;
        }

        await next(context);
    }

    public static ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Detail = $"The request body must be at most {MaxBytes / 1024 / 1024} MB.",
    };
}
