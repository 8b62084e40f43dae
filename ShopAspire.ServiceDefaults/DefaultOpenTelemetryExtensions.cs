using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class DefaultOpenTelemetryExtensions
{
    /// <summary>Meters and activity sources of our own code all start with this prefix.</summary>
    public const string ShopTelemetryPrefix = "Shop.*";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Postgres, Redis and RabbitMQ telemetry is not listed here: Aspire's client integrations
        // (AddNpgsqlDataSource, AddRedisClient, AddRabbitMQClient) add their own sources and meters
        // in the services that use them.
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Resilience pipelines (retries, circuit breaker openings, timeouts) report here.
                .AddMeter("Polly")
                .AddMeter(ShopTelemetryPrefix))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes hit these every few seconds; tracing them would drown real requests.
                    aspNetCore.Filter = context => !IsHealthEndpoint(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(ShopTelemetryPrefix));

        builder.AddOpenTelemetryExporters();
        builder.AddPrometheusScraping();
        return builder;
    }

    private static bool IsHealthEndpoint(PathString path) =>
        path.StartsWithSegments(DefaultHealthCheckExtensions.HealthEndpointPath)
        || path.StartsWithSegments(DefaultHealthCheckExtensions.AlivenessEndpointPath);

    private static void AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // The AppHost sets the endpoint (its dashboard); without it there is nowhere to send
        // telemetry, and an exporter would only log connection errors.
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }
}
