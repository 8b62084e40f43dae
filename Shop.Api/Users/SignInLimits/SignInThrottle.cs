using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Shop.Api.Users.SignInLimits;

/// <summary>
/// Limits sign-in attempts per account and per client before any password is hashed: a guesser
/// over the limit costs one Redis round trip, not a PBKDF2 hash (100,000 iterations of SHA-512).
/// </summary>
/// <remarks>
/// <para>
/// Every attempt that would hash is counted before it hashes (so 16 parallel guesses cannot
/// all slip under the limit), and a successful one is given back: only failures use up the
/// allowance. The account limit applies whoever guesses, from however many addresses; the
/// client limit stops one address from trying many accounts. The price of the account limit:
/// someone guessing a victim's password also keeps the victim out until the window ends
/// (15 minutes by default); their existing sessions keep working.
/// </para>
/// <para>
/// Redis down: neither fail open nor fail closed, but count in this replica's memory
/// (<see cref="LocalWindowCounters"/>). Failing open would hand guessers, and anyone who wants
/// to burn the API's CPU on hashes, exactly the outage window; failing closed would turn a cache
/// outage into nobody being able to sign in. Local counters keep the limits, only per replica
/// (N replicas allow at most N times the limit) until Redis is back.
/// </para>
/// </remarks>
public sealed partial class SignInThrottle(
    RateLimiting.RedisRateLimiter redis,
    LocalWindowCounters local,
    IOptionsMonitor<SignInLimitOptions> options,
    ILogger<SignInThrottle> logger)
{
    /// <summary>Counts one attempt for <paramref name="email"/> from <paramref name="client"/>.</summary>
    public async Task<SignInPermit> AcquireAsync(string email, IPAddress? client)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return SignInPermit.Unlimited;
        }

        var counters = new (string Key, int Limit, TimeSpan Window)[]
        {
            (AccountKey(email), settings.PerAccountPermitLimit, TimeSpan.FromSeconds(settings.PerAccountWindowSeconds)),
            (ClientKey(client), settings.PerClientPermitLimit, TimeSpan.FromSeconds(settings.PerClientWindowSeconds)),
        };

        var wait = TimeSpan.Zero;
        var usedRedis = true;
        foreach (var (key, limit, window) in counters)
        {
            long count;
            TimeSpan resetsIn;
            try
            {
                (count, resetsIn) = usedRedis ? await redis.HitAsync(key, window) : local.Hit(key, window);
            }
            catch (Exception ex) when (RateLimiting.RedisRateLimiter.IsUnavailable(ex))
            {
                LogCountingLocally(ex);
                usedRedis = false;
                (count, resetsIn) = local.Hit(key, window);
            }

            if (count > limit && resetsIn > wait)
            {
                wait = resetsIn;
            }
        }

        if (wait > TimeSpan.Zero)
        {
            LogRefused(wait);
            return new SignInPermit([], usedRedis, wait);
        }

        return new SignInPermit([.. counters.Select(c => c.Key)], usedRedis, null);
    }

    /// <summary>The attempt succeeded: it does not count against the account or the client.</summary>
    public async Task ReleaseAsync(SignInPermit permit)
    {
        foreach (var key in permit.Keys)
        {
            if (permit.CountedInRedis)
            {
                try
                {
                    await redis.ReleaseAsync(key);
                    continue;
                }
                catch (Exception ex) when (RateLimiting.RedisRateLimiter.IsUnavailable(ex))
                {
                    // Counted in Redis, which is gone now: it will expire there with its window.
                    LogCountingLocally(ex);
                    return;
                }
            }
            local.Release(key);
        }
    }

    /// <summary>The same account however its email is cased or padded; a hash, so no address sits in Redis.</summary>
    private static string AccountKey(string email)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return $"shop:signin:account:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)).AsSpan(0, 16))}";
    }

    /// <summary>An IPv4 address as is; an IPv6 one by its /64, which is what one subscriber gets.</summary>
    private static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "shop:signin:client:unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return $"shop:signin:client:{new IPAddress(bytes)}/64";
        }
        return $"shop:signin:client:{address}";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sign-in attempts counted in this replica only: Redis is unavailable.")]
    private partial void LogCountingLocally(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused before hashing: too many failed attempts; retry in {Wait}.")]
    private partial void LogRefused(TimeSpan wait);
}

/// <summary>
/// The outcome of <see cref="SignInThrottle.AcquireAsync"/>: refused (<see cref="RetryAfter"/>),
/// or allowed with the counters to give back if the password is right.
/// </summary>
public sealed record SignInPermit(IReadOnlyList<string> Keys, bool CountedInRedis, TimeSpan? RetryAfter)
{
    public static readonly SignInPermit Unlimited = new([], true, null);
}
