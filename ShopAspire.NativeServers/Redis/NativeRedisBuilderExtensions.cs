using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using ShopAspire.NativeServers.Packages;

namespace ShopAspire.NativeServers.Redis;

public static class NativeRedisBuilderExtensions
{
    /// <summary>Redis from Debian's redis-server under DCP: Aspire's AddRedis name, password parameter, connection string and health check.</summary>
    public static IResourceBuilder<NativeRedisResource> AddNativeRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var folder = NativeServerFolders.For(builder).ForResource(name);
        var password = NativeSecrets.Password(builder, name);
        var redis = new NativeRedisResource(name, "/bin/sh", folder, password);
        NativeServerSetup.Require(builder, ServerPackage.Redis);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, ct) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => (connectionString ?? throw new InvalidOperationException("Connection string is unavailable")) + ",abortConnect=false,connectTimeout=3000",
            name: healthCheckKey);

        return builder.AddResource(redis)
            .WithDirectEndpoint(NativeRedisResource.PrimaryEndpointName, "tcp", env: "REDIS_PORT")
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithArgs(context =>
            {
                context.Args.Add(LauncherScripts.WriteTo(folder, "redis.sh"));
                context.Args.Add(folder);
                // Persistence as WithDataVolume gives the container: a snapshot every minute when something changed.
                string[] persistence = redis.TryGetLastAnnotation<KeepDataAnnotation>(out _)
                    ? ["--save", "60 1", "--appendonly", "no"]
                    : ["--save", "", "--appendonly", "no"];
                foreach (var option in persistence)
                {
                    context.Args.Add(option);
                }
            })
            .WithAnnotation(new NativeDataAnnotation(folder))
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<NativeRedisResource> WithDataVolume(this IResourceBuilder<NativeRedisResource> builder) =>
        builder.WithAnnotation(new KeepDataAnnotation());
}
