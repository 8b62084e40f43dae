using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// A request that failed because Postgres (or Redis on a path with no fallback) is down gets a
/// 503 with Retry-After and the dependency-unavailable problem type, at once: the client learns
/// to retry (with the same Idempotency-Key for a mutation), and a load balancer's retry budget
/// sees it as the transient outage it is. Logged as a warning, not as an unhandled error.
/// </summary>
internal sealed partial class DependencyOutageExceptionHandler(IProblemDetailsService problems, ILogger<DependencyOutageExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DependencyOutage.Is(exception))
        {
            return false;
        }
        LogOutage(exception, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ShopProblemTypes.DependencyUnavailable,
                Title = "Service unavailable",
                Detail = "A server the shop needs is not answering; retry shortly (with the same Idempotency-Key).",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: a dependency is unavailable.")]
    private partial void LogOutage(Exception exception, string method, string path);
}
