using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>A Redis server run as a private instance of this stack.</summary>
public sealed class RedisResource(string name) : Resource(name), IResourceWithConnectionString, IRunnableResource, IResourceWithEndpoints
{
    internal static readonly ServerPackage Package = new("redis-server", () => ServerPackage.OnPath("redis-server"));

    public EndpointAnnotation Endpoint { get; } = new("tcp", "tcp");

    public string? Password { get; internal set; }

    public string TypeName => "Redis";

    public string ConnectionStringExpression => $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}},password={{{Name}-password.value}}";

    public IEnumerable<ServerPackage> RequiredPackages => [Package];

    public string GetConnectionString() =>
        $"{Endpoint.Host}:{Endpoint.Port},password={Password ?? throw new InvalidOperationException($"'{Name}' has not started.")}";

    public IResourceRunner CreateRunner(RunContext context) => new RedisRunner(this, context);
}

public static class RedisBuilderExtensions
{
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name)
        => builder.AddResource(new RedisResource(name));
}
