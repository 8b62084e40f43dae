using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using ShopAspire.NativeServers.Packages;

namespace ShopAspire.NativeServers.RabbitMQ;

public static class NativeRabbitMQBuilderExtensions
{
    /// <summary>
    /// RabbitMQ from Debian's package under DCP: Aspire's AddRabbitMQ name, user, password parameter,
    /// connection string and readiness. Its epmd runs as a child resource on a private port.
    /// </summary>
    public static IResourceBuilder<NativeRabbitMQServerResource> AddNativeRabbitMQ(this IDistributedApplicationBuilder builder, string name)
    {
        var folders = NativeServerFolders.For(builder);
        var folder = folders.ForResource(name);
        var password = NativeSecrets.Password(builder, name);
        var broker = new NativeRabbitMQServerResource(name, "/bin/sh", folder, password);
        NativeServerSetup.Require(builder, ServerPackage.RabbitMQ);

        // Erlang needs both ports before the node boots and DCP cannot proxy them: chosen here, free now.
        var epmdPort = LoopbackPorts.Free();
        var distributionPort = LoopbackPorts.Free();
        var epmd = builder.AddExecutable($"{name}-epmd", ServerPackage.OnPath("epmd") ?? "epmd", folder,
                "-port", epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-address", "127.0.0.1")
            .WithParentRelationship(broker)
            .ExcludeFromManifest();

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey,
            _ => new AmqpHealthCheck(() => broker.PrimaryEndpoint.IsAllocated ? new Uri(broker.PrimaryEndpoint.Url) : null),
            failureStatus: null,
            tags: null));

        return builder.AddResource(broker)
            .WithDirectEndpoint(NativeRabbitMQServerResource.PrimaryEndpointName, "tcp", env: "AMQP_PORT")
            .WithEnvironment("RABBITMQ_USER", NativeRabbitMQServerResource.UserName)
            .WithEnvironment("RABBITMQ_PASSWORD", password)
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithArgs(context =>
            {
                context.Args.Add(LauncherScripts.WriteTo(folder, "rabbitmq.sh"));
                context.Args.Add(folder);
                context.Args.Add(NodeName(folder));
            })
            .WithAnnotation(new NativeDataAnnotation(folder, "mnesia"))
            .WithIconName("Mail")
            .WaitFor(epmd)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>The management UI and HTTP API, as Aspire's WithManagementPlugin adds to the container.</summary>
    public static IResourceBuilder<NativeRabbitMQServerResource> WithManagementPlugin(this IResourceBuilder<NativeRabbitMQServerResource> builder) =>
        builder.WithDirectEndpoint(NativeRabbitMQServerResource.ManagementEndpointName, "http", env: "MANAGEMENT_PORT");

    public static IResourceBuilder<NativeRabbitMQServerResource> WithDataVolume(this IResourceBuilder<NativeRabbitMQServerResource> builder) =>
        builder.WithAnnotation(new KeepDataAnnotation());

    // Mnesia (queues, exchanges, messages) is bound to the node name, so the name must not change
    // when the broker restarts: not across runs with kept data, and not within a run, where a
    // stop/start (a failure drill, the dashboard's restart) must find its queues and messages again.
    // Throwaway data lives in a folder of its own per run, so the folder alone decides.
    internal static string NodeName(string folder) =>
        $"shopaspire-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..10]}@localhost";
}
