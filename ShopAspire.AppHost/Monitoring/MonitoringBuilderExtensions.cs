using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ShopAspire.NativeServers;
using ShopAspire.NativeServers.Prometheus;

namespace ShopAspire.AppHost.Monitoring;

/// <summary>
/// The operator's view: Prometheus scraping every instance of the shop's services, its TSDB kept
/// across runs, three dashboards (RED, business, infrastructure: console templates under
/// Monitoring/consoles, served by Prometheus itself) and alert rules (Monitoring/alerts.yml).
/// The Aspire dashboard stays the developer's live window; this one keeps history.
/// </summary>
internal static class MonitoringBuilderExtensions
{
    public const string MetricsPath = "/metrics";
    public static readonly string[] Dashboards = ["red", "business", "infrastructure"];

    /// <summary>Scraped and evaluated every 5 s: alerts with a "for" of 15-60 s then fire within a minute.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public static IResourceBuilder<IResourceWithEndpoints> AddMonitoring(
        this IDistributedApplicationBuilder builder, string name, params IResourceBuilder<ProjectResource>[] scraped)
    {
        var source = Path.Combine(builder.AppHostDirectory, "Monitoring");
        foreach (var project in scraped)
        {
            project.WithEnvironment("Metrics__PrometheusPath", MetricsPath);
        }

        var folder = NativePrometheusBuilderExtensions.FolderOf(builder, name);
        var targets = Path.Combine(folder, "targets");
        var prometheus = builder.AddNativePrometheus(name,
                consoles: Path.Combine(source, "consoles"),
                consoleLibraries: Path.Combine(source, "console_libraries"),
                retention: TimeSpan.FromDays(15))
            .WithDataVolume()
            .WithUrls(context =>
            {
                var http = context.Urls.FirstOrDefault(u => u.Endpoint?.EndpointName == NativePrometheusBuilderExtensions.HttpEndpointName);
                if (http is null)
                {
                    return;
                }
                http.DisplayText = "Prometheus";
                foreach (var dashboard in Dashboards)
                {
                    context.Urls.Add(new ResourceUrlAnnotation
                    {
                        Url = $"{http.Url.TrimEnd('/')}/consoles/{dashboard}.html",
                        DisplayText = $"{char.ToUpperInvariant(dashboard[0])}{dashboard[1..]} dashboard",
                    });
                }
                context.Urls.Add(new ResourceUrlAnnotation { Url = $"{http.Url.TrimEnd('/')}/alerts", DisplayText = "Alerts" });
            });

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            Directory.CreateDirectory(targets);
            foreach (var stale in Directory.EnumerateFiles(targets, "*.json"))
            {
                File.Delete(stale); // last run's addresses; this run's are written as instances start
            }
            File.WriteAllText(NativePrometheusBuilderExtensions.ConfigPath(folder), PrometheusConfig.Render(
                Interval, targets, Path.Combine(source, "alerts.yml")));
            return Task.CompletedTask;
        });
        builder.Services.AddSingleton(new ScrapeTargetsOptions(targets, [.. scraped.Select(p => p.Resource.Name)]));
        builder.Services.AddHostedService<ScrapeTargetsWriter>();
        return prometheus;
    }
}

/// <summary>prometheus.yml for the native Prometheus: file-discovered targets, the alert rules.</summary>
internal static class PrometheusConfig
{
    public static string Render(TimeSpan interval, string targetsFolder, string rulesFile)
    {
        var every = string.Create(CultureInfo.InvariantCulture, $"{(int)interval.TotalSeconds}s");
        return $"""
            # Written by the AppHost at each start (ShopAspire.AppHost/Monitoring); edits are overwritten.
            global:
              scrape_interval: {every}
              evaluation_interval: {every}
              scrape_timeout: {every}
            rule_files:
              - "{rulesFile}"
            scrape_configs:
              - job_name: shop
                metrics_path: {MonitoringBuilderExtensions.MetricsPath}
                file_sd_configs:
                  - files: ["{Path.Combine(targetsFolder, "*.json")}"]
                    refresh_interval: {every}
            """;
    }
}
