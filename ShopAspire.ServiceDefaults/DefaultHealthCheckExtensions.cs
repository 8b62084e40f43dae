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

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps /health (every check: readiness) and /alive (only "live" checks: liveness).
    /// </summary>
    /// <remarks>
    /// Aspire's template maps these only in Development. We map them in every environment on
    /// purpose: the AppHost's WaitFor, Kubernetes and Azure Container Apps probes all need them
    /// in production too. They return only "Healthy"/"Unhealthy" (200/503), no check details,
    /// so they leak nothing about the dependencies.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }
}
