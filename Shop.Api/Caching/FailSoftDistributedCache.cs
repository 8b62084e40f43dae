using Microsoft.Extensions.Caching.Distributed;

namespace Shop.Api.Caching;

/// <summary>
/// The L2 cache with Redis outages turned into misses: reads return null, writes and removals
/// are skipped, so HybridCache goes to the database and the request still succeeds.
/// </summary>
internal sealed partial class FailSoftDistributedCache(IDistributedCache inner, ILogger<FailSoftDistributedCache> logger) : IDistributedCache
{
    public byte[]? Get(string key) => Try(() => inner.Get(key), null);

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await TryAsync(async () => await inner.GetAsync(key, token), null, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Try(() => { inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        TryAsync(async () => { await inner.SetAsync(key, value, options, token); return true; }, false, token);

    public void Refresh(string key) => Try(() => { inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        TryAsync(async () => { await inner.RefreshAsync(key, token); return true; }, false, token);

    public void Remove(string key) => Try(() => { inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        TryAsync(async () => { await inner.RemoveAsync(key, token); return true; }, false, token);

    private T Try<T>(Func<T> action, T fallback)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnavailable(ex);
            return fallback;
        }
    }

    private async Task<T> TryAsync<T>(Func<Task<T>> action, T fallback, CancellationToken token)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            LogUnavailable(ex);
            return fallback;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis L2 cache unavailable; treating it as a miss.")]
    private partial void LogUnavailable(Exception exception);
}
