using HealthChecks.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class RabbitMqConnectionProviderExtensions
{
    /// <summary>
    /// Registers <see cref="RabbitMqConnectionProvider"/>, the process's shared connection, and points
    /// Aspire's "RabbitMQ.Client" health check at it. Call it right after Aspire's
    /// <c>builder.AddRabbitMQClient(name)</c>, which provides the connection factory (from
    /// <c>ConnectionStrings:{name}</c>), RabbitMQ.Client's traces and its log forwarding.
    /// </summary>
    /// <remarks>
    /// Aspire's check resolves <see cref="RabbitMQ.Client.IConnection"/>, which would open a second
    /// connection next to the provider's and block /health for its whole retry budget while the
    /// broker is down. The same check (Xabaril's, which opens a channel) asks the shared connection
    /// instead, waiting at most <see cref="DefaultHealthCheckExtensions.DependencyCheckTimeout"/>.
    /// </remarks>
    public static IHostApplicationBuilder AddRabbitMqConnectionProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<RabbitMqConnectionProvider>();

        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(r => r.Name == DefaultHealthCheckExtensions.RabbitMQCheckName))
            {
                check.Factory = services => new RabbitMQHealthCheck(services, static provider =>
                    provider.GetRequiredService<RabbitMqConnectionProvider>().GetConnectionAsync()
                        .WaitAsync(DefaultHealthCheckExtensions.DependencyCheckTimeout));
            }
        });

        return builder;
    }
}
