using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Microsoft.Extensions.Hosting;

public static class RabbitMQClientExtensions
{
    /// <summary>
    /// Registers an <see cref="IConnectionFactory"/> built from the AMQP URI in
    /// <c>ConnectionStrings:{connectionName}</c>, one shared connection behind
    /// <see cref="RabbitMqConnectionProvider"/>, and a health check that really connects.
    /// Mirrors Aspire.RabbitMQ.Client's AddRabbitMQClient.
    /// </summary>
    /// <remarks>
    /// Unlike Aspire we do not register <see cref="IConnection"/> itself: resolving it would block
    /// DI (and so host startup) while the broker is unreachable. Ask the provider instead.
    /// </remarks>
    public static IHostApplicationBuilder AddRabbitMQClient(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.Services.AddSingleton<IConnectionFactory>(services =>
        {
            var connectionString = ConnectionStrings.GetRequired(
                services.GetRequiredService<IConfiguration>(), connectionName);

            return new ConnectionFactory
            {
                Uri = new Uri(connectionString),
                // Names the connection in the management UI, so one can tell services apart.
                ClientProvidedName = builder.Environment.ApplicationName,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
                // Recovery (on by default; explicit because the consumer relies on it) reopens the
                // connection, its channels, topology and consumers after a broker restart.
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
            };
        });

        builder.Services.AddSingleton<RabbitMqConnectionProvider>();

        builder.Services.AddHealthChecks().AddCheck<RabbitMQHealthCheck>(
            $"rabbitmq-{connectionName}",
            tags: [DefaultHealthCheckExtensions.ReadyTag],
            timeout: RabbitMQHealthCheck.Timeout);

        return builder;
    }
}
