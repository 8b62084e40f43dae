using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace Shop.Api.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// HybridCache: L1 in this process, L2 in Redis (connection "cache"), stampede protection
    /// (concurrent misses for one key share one factory call), invalidation on every replica.
    /// </summary>
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CacheConnection>();
        builder.Services.AddSingleton<IDistributedCache>(services =>
        {
            var connection = services.GetRequiredService<CacheConnection>();
            var redis = new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = connection.GetAsync,
                InstanceName = "shop:cache:",
            }));
            return new FailSoftDistributedCache(redis, services.GetRequiredService<ILogger<FailSoftDistributedCache>>());
        });

        builder.Services.AddHybridCache(options =>
        {
            options.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromMinutes(5),
                // Bounds staleness on a replica that missed a broadcast (Redis outage).
                LocalCacheExpiration = TimeSpan.FromSeconds(30),
            };
        });

        builder.Services.AddSingleton<CacheMetrics>();
        builder.Services.AddSingleton<CacheInvalidationBus>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CacheInvalidationBus>());
        return builder;
    }
}
