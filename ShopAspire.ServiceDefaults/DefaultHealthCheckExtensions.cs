using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class DefaultHealthCheckExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Checks tagged "live" say the process can make progress (restart it if not).</summary>
    public const string LiveTag = "live";

    /// <summary>Checks tagged "ready" say the service can take traffic (route to it if so).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The names Aspire's client integrations give their (unkeyed) health checks.</summary>
    public const string PostgresCheckName = "PostgreSql";
    public const string RedisCheckName = "StackExchange.Redis";
    public const string RabbitMQCheckName = "RabbitMQ.Client";

    /// <summary>How long a check of a server (database, cache, broker) may take before it counts as failed.</summary>
    public static readonly TimeSpan DependencyCheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] ClientCheckNames = [PostgresCheckName, RedisCheckName, RabbitMQCheckName];

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton<HealthTransitions>();

        // Aspire's client integrations register their checks untagged and without a timeout. Give
        // them the semantics our own dependency checks have: "ready" (in /health, never in /alive),
        // and a bound, so one hung server cannot hang the probe. Failure status stays as registered
        // (Unhealthy unless a service lowers it, as Shop.Web does for the broker).
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(r => ClientCheckNames.Contains(r.Name)))
            {
                check.Tags.Add(ReadyTag);
                if (check.Timeout <= TimeSpan.Zero || check.Timeout == Timeout.InfiniteTimeSpan)
                {
                    check.Timeout = DependencyCheckTimeout;
                }
            }
        });

        return builder;
    }

    /// <summary>
    /// Declares dependencies this service can serve without: when one of the named checks fails,
    /// readiness (/health) is Degraded (still 200, still in the load balancer) instead of
    /// Unhealthy (503, taken out of it). Everything not named here stays required.
    /// </summary>
    /// <remarks>
    /// The checks (Aspire's client integrations', Xabaril's underneath) report their
    /// registration's failure status on an error or a timeout, so lowering it is all it takes.
    /// </remarks>
    public static TBuilder AddOptionalDependencies<TBuilder>(this TBuilder builder, params string[] checkNames)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(r => checkNames.Contains(r.Name, StringComparer.Ordinal)))
            {
                check.FailureStatus = HealthStatus.Degraded;
            }
        });

        return builder;
    }

    /// <summary>
    /// Maps /health (every check: readiness) and /alive (only "live" checks: liveness).
    /// </summary>
    /// <remarks>
    /// Aspire's template maps these only in Development. We map them in every environment on
    /// purpose: the AppHost's WaitFor, Kubernetes and Azure Container Apps probes all need them
    /// in production too. /health answers 200 for Healthy and Degraded (an optional dependency is
    /// down: keep routing here), 503 for Unhealthy; its body names the checks that are not healthy
    /// (<see cref="HealthReportWriter"/>), never their exception text. /alive says only its status.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        app.MapPrometheusScrapingWhenEnabled();

        return app;
    }
}
