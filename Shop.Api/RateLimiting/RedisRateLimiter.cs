using Microsoft.Extensions.Options;
using Shop.Api.Caching;
using StackExchange.Redis;

namespace Shop.Api.RateLimiting;

/// <summary>
/// Fixed-window request counters in Redis, shared by every replica.
/// </summary>
/// <remarks>
/// Hand-written rather than ASP.NET Core's rate limiting middleware: its limiters
/// (System.Threading.RateLimiting) keep their counters in process memory, so N replicas would
/// let a client through N times the limit. One Lua script makes increment-and-expire atomic in
/// Redis, in one round trip.
/// </remarks>
public sealed partial class RedisRateLimiter(CacheConnection connection, IOptionsMonitor<RateLimitOptions> options, ILogger<RedisRateLimiter> logger)
{
    // KEYS[1] = counter, ARGV[1] = window in ms. Returns {count, ms until the window resets}.
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    /// <returns>Null when the request may proceed, else how long the client must wait.</returns>
    public async Task<TimeSpan?> AcquireAsync(string partition)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return null;
        }

        try
        {
            var window = TimeSpan.FromSeconds(settings.WindowSeconds);
            var database = (await connection.GetAsync()).GetDatabase();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                Script, [new RedisKey($"shop:ratelimit:{partition}")], [(long)window.TotalMilliseconds]))!;
            var count = (long)result[0];
            var resetsIn = TimeSpan.FromMilliseconds((long)result[1]);
            return count > settings.PermitLimit ? resetsIn : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Fail open: without Redis nobody can be counted, and refusing everyone would turn a
            // cache outage into an API outage.
            LogFailedOpen(ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate limit counters unavailable (Redis); letting the request through.")]
    private partial void LogFailedOpen(Exception exception);
}
