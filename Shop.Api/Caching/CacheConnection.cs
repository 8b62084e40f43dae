using StackExchange.Redis;

namespace Shop.Api.Caching;

/// <summary>
/// The API's own Redis connection for optional work (L2 cache, invalidation broadcasts, rate
/// limit counters), from the same <c>cache</c> connection string as the shared client.
/// </summary>
/// <remarks>
/// Separate from the process-wide <see cref="IConnectionMultiplexer"/> on purpose: that one queues
/// commands while Redis is away (StackExchange.Redis's default backlog) and makes callers wait
/// seconds for it. Here a command fails at once when Redis is down, so a cache miss falls back
/// to Postgres and a rate limit check fails open without slowing the request.
/// </remarks>
public sealed class CacheConnection(IConfiguration configuration) : IAsyncDisposable
{
    public const string ConnectionName = "cache";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer = new(() => ConnectAsync(configuration));

    public async Task<IConnectionMultiplexer> GetAsync() => await _multiplexer.Value;

    private static Task<ConnectionMultiplexer> ConnectAsync(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"Connection string 'ConnectionStrings:{ConnectionName}' is missing.");
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // keep reconnecting in the background
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        options.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        options.ClientName = "shop-api-cache";
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync();
        }
    }
}
