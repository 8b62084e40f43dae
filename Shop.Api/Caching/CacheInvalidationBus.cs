using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace Shop.Api.Caching;

/// <summary>
/// Removes cache entries on every replica. HybridCache's RemoveAsync/RemoveByTagAsync clear this
/// process's L1 and the shared L2 only; other replicas would serve their L1 copy until it
/// expires. So each invalidation is also broadcast over Redis pub/sub, and every replica applies
/// it to its own L1 when it arrives (milliseconds, well within the one-second promise).
/// </summary>
public sealed partial class CacheInvalidationBus(
    HybridCache cache,
    CacheConnection connection,
    ILogger<CacheInvalidationBus> logger) : BackgroundService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("shop:cache:invalidations");

    private static readonly TimeSpan ResubscribeDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RepeatDelay = TimeSpan.FromSeconds(2);

    // Lets a replica skip its own broadcasts (it already applied them).
    private readonly string _origin = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Invalidates now on every replica, and once more a moment later: a read that fetched the
    /// old row just before the write committed may store it after the first invalidation, and
    /// would otherwise stay in L2 until it expires.
    /// </summary>
    public async Task InvalidateAsync(IReadOnlyList<string> keys, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        await InvalidateOnceAsync(keys, tags, cancellationToken);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(RepeatDelay);
                await InvalidateOnceAsync(keys, tags, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogApplyFailed(ex);
            }
        }, CancellationToken.None);
    }

    private async Task InvalidateOnceAsync(IReadOnlyList<string> keys, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await ApplyAsync(keys, tags, cancellationToken);

        try
        {
            var message = JsonSerializer.Serialize(new Invalidation(_origin, keys, tags));
            await (await connection.GetAsync()).GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down: other replicas cannot be told. Their L1 entries expire on their own
            // (LocalCacheExpiration), which bounds the staleness during an outage.
            LogBroadcastFailed(ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, StackExchange.Redis resubscribes by itself after a reconnect; only the
        // first subscription needs retrying (Redis may be down when the API starts).
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var subscriber = (await connection.GetAsync()).GetSubscriber();
                await subscriber.SubscribeAsync(Channel, (channel, value) => _ = OnMessageAsync(value));
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogSubscribeFailed(ex, ResubscribeDelay);
                await Task.Delay(ResubscribeDelay, stoppingToken);
            }
        }
    }

    private async Task OnMessageAsync(RedisValue value)
    {
        try
        {
            var message = JsonSerializer.Deserialize<Invalidation>(value.ToString());
            if (message is not null && message.Origin != _origin)
            {
                await ApplyAsync(message.Keys, message.Tags, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            LogApplyFailed(ex);
        }
    }

    private async Task ApplyAsync(IReadOnlyList<string> keys, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (keys.Count > 0)
        {
            await cache.RemoveAsync(keys, cancellationToken);
        }

        if (tags.Count > 0)
        {
            await cache.RemoveByTagAsync(tags, cancellationToken);
        }
    }

    private sealed record Invalidation(string Origin, IReadOnlyList<string> Keys, IReadOnlyList<string> Tags);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not broadcast a cache invalidation; other replicas keep their L1 entries until they expire.")]
    private partial void LogBroadcastFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to cache invalidations; retrying in {Delay}.")]
    private partial void LogSubscribeFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "A cache invalidation could not be applied.")]
    private partial void LogApplyFailed(Exception exception);
}
