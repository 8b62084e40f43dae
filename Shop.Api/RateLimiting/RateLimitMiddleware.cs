using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.RateLimiting;

/// <summary>
/// Limits each client on /api: a signed-in user by the token's <c>sub</c>, anyone else by IP.
/// Over the limit: 429 ProblemDetails with Retry-After.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RedisRateLimiter limiter, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        var retryAfter = await limiter.AcquireAsync(PartitionOf(context));
        if (retryAfter is null)
        {
            await next(context);
            return;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.Value.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Rate limit reached; retry in {seconds} s.",
            },
        });
    }

    private static string PartitionOf(HttpContext context)
    {
        // "sub" as issued; JwtBearer may have mapped it to NameIdentifier.
        var userId = context.User.FindFirstValue("sub") ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is not null && context.User.Identity?.IsAuthenticated == true
            ? $"user:{userId}"
            : $"ip:{context.Connection.RemoteIpAddress}";
    }
}
