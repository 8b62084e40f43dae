using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The same metrics the Aspire dashboard gets over OTLP, also served for Prometheus to scrape
/// (its TSDB keeps history across restarts; the operator's dashboards and alerts read it). Off
/// unless configured: the AppHost sets <c>Metrics:PrometheusPath</c> on the services its
/// Prometheus scrapes. In production, serve it on an internal port or behind the ingress's
/// allow-list: it names routes, queues and counts.
/// </summary>
public static class PrometheusScraping
{
    public const string PathKey = "Metrics:PrometheusPath";

    public static TBuilder AddPrometheusScraping<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[PathKey]))
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        }
        return builder;
    }

    public static WebApplication MapPrometheusScrapingWhenEnabled(this WebApplication app)
    {
        if (app.Configuration[PathKey] is { Length: > 0 } path)
        {
            app.MapPrometheusScrapingEndpoint(path);
        }
        return app;
    }
}
