using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class NpgsqlClientExtensions
{
    /// <summary>
    /// Registers one <see cref="NpgsqlDataSource"/> (the connection pool) built from
    /// <c>ConnectionStrings:{connectionName}</c>, and a "ready" health check that runs a query.
    /// Mirrors Aspire.Npgsql's AddNpgsqlDataSource.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.Services.AddSingleton(services =>
        {
            var connectionString = ConnectionStrings.GetRequired(
                services.GetRequiredService<IConfiguration>(), connectionName);

            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            dataSourceBuilder.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            return dataSourceBuilder.Build();
        });

        builder.Services.AddHealthChecks().AddCheck<NpgsqlHealthCheck>(
            $"postgres-{connectionName}",
            tags: [DefaultHealthCheckExtensions.ReadyTag],
            timeout: NpgsqlHealthCheck.Timeout);

        return builder;
    }
}
