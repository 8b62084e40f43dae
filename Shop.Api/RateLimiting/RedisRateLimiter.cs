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

    // KEYS[1] = counter. Gives back one hit, but only while its window lasts: a DECR on an
    // expired (gone) key would create a counter that never expires.
    private const string ReleaseScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
            return redis.call('DECR', KEYS[1])
        end
        return 0
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
            var (count, resetsIn) = await HitAsync($"shop:ratelimit:{partition}", TimeSpan.FromSeconds(settings.WindowSeconds));
            return count > settings.PermitLimit ? resetsIn : null;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            // Fail open: without Redis nobody can be counted, and refusing everyone would turn a
            // cache outage into an API outage.
            LogFailedOpen(ex);
            return null;
        }
    }

    /// <summary>
    /// Counts one hit on <paramref name="key"/> in a fixed window that starts with its first hit.
    /// Throws what <see cref="IsUnavailable"/> recognises when Redis cannot count: the caller
    /// decides whether that lets the request through.
    /// </summary>
    /// <returns>The hits in the current window, this one included, and when the window ends.</returns>
    public async Task<(long Count, TimeSpan ResetsIn)> HitAsync(string key, TimeSpan window)
    {
        var database = (await connection.GetAsync()).GetDatabase();
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(Script, [new RedisKey(key)], [(long)window.TotalMilliseconds]))!;
        return ((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    /// <summary>Takes back one hit counted by <see cref="HitAsync"/> if its window has not ended.</summary>
    public async Task ReleaseAsync(string key)
    {
        var database = (await connection.GetAsync()).GetDatabase();
        await database.ScriptEvaluateAsync(ReleaseScript, [new RedisKey(key)]);
    }

    /// <summary>Redis is down, unreachable or too slow (the API's cache connection fails fast).</summary>
    public static bool IsUnavailable(Exception exception) => exception is RedisException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate limit counters unavailable (Redis); letting the request through.")]
    private partial void LogFailedOpen(Exception exception);
}
