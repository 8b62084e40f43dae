using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class RedisClientExtensions
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Registers one <see cref="IConnectionMultiplexer"/> for the process from
    /// <c>ConnectionStrings:{connectionName}</c>, and a health check that PINGs.
    /// Mirrors Aspire.StackExchange.Redis's AddRedisClient.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        // A factory registration is lazy: nothing connects until the first consumer (often the
        // health check) asks, so startup never waits for Redis.
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var connectionString = ConnectionStrings.GetRequired(
                services.GetRequiredService<IConfiguration>(), connectionName);

            var options = ConfigurationOptions.Parse(connectionString);
            // Keep retrying in the background instead of throwing when Redis is not up yet.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
            return ConnectionMultiplexer.Connect(options);
        });

        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(
            $"redis-{connectionName}",
            tags: [DefaultHealthCheckExtensions.ReadyTag],
            timeout: RedisHealthCheck.Timeout);

        return builder;
    }
}
