using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>A RabbitMQ broker run as a private node of this stack, with its own epmd.</summary>
public sealed class RabbitMQServerResource(string name) : Resource(name), IResourceWithConnectionString, IRunnableResource, IResourceWithEndpoints
{
    public const string UserName = "guest";

    internal static readonly ServerPackage Package = new("rabbitmq-server", () => File.Exists(RabbitMQRunner.ServerScript) ? RabbitMQRunner.ServerScript : null);

    public EndpointAnnotation Endpoint { get; } = new("tcp", "amqp");

    public EndpointAnnotation ManagementEndpoint { get; } = new("management", "http");

    public string? Password { get; internal set; }

    public bool HasManagementPlugin => Annotations.OfType<ManagementPluginAnnotation>().Any();

    public string TypeName => "RabbitMQ";

    public string ConnectionStringExpression => $"amqp://{UserName}:{{{Name}-password.value}}@{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}}";

    public IEnumerable<ServerPackage> RequiredPackages => [Package];

    public string GetConnectionString() =>
        $"amqp://{UserName}:{Uri.EscapeDataString(Password ?? throw new InvalidOperationException($"'{Name}' has not started."))}@{Endpoint.Host}:{Endpoint.Port}";

    public IResourceRunner CreateRunner(RunContext context) => new RabbitMQRunner(this, context);
}

public static class RabbitMQBuilderExtensions
{
    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this IDistributedApplicationBuilder builder, string name)
        => builder.AddResource(new RabbitMQServerResource(name));

    /// <summary>Enables the management UI on its own free port.</summary>
    public static IResourceBuilder<RabbitMQServerResource> WithManagementPlugin(this IResourceBuilder<RabbitMQServerResource> builder)
        => builder.WithAnnotation(new ManagementPluginAnnotation());
}
