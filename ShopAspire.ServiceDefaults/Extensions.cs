using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Defaults every Shop service shares, shaped like Aspire's ServiceDefaults template so the
/// services run unchanged under a real Aspire AppHost: plain console logs when redirected,
/// telemetry, health, service discovery, resilient HttpClients and feature flags.
/// </summary>
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureConsoleLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddForwardedHeadersFromTrustedProxies();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Order matters: resilience wraps discovery so each retry can pick another endpoint.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        // Flags live in configuration section "FeatureManagement"; 4.x registers the built-in
        // filters (Microsoft.Percentage, Microsoft.TimeWindow, Microsoft.Targeting) itself.
        builder.Services.AddFeatureManagement();

        builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ServedByHeader>();

        return builder;
    }
}
