using StackExchange.Redis;

namespace Shop.Api.Cart;

/// <summary>
/// The cart lives only in Redis, so there is no fallback when Redis is down: answer 503 (as the
/// contract says for a missing dependency) instead of a 500 or a hang.
/// </summary>
internal sealed partial class RedisUnavailableFilter(ILogger<RedisUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(ex);
            return TypedResults.Problem(
                title: "Cart unavailable",
                detail: "The cart store is not answering; try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable; answering 503 for a cart request.")]
    private partial void LogRedisUnavailable(Exception exception);
}
