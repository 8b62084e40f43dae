using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ShopAspire.NativeServers.Packages;

namespace ShopAspire.NativeServers.Prometheus;

/// <summary>Prometheus from Debian's package under DCP, on a port Aspire allocates.</summary>
public static class NativePrometheusBuilderExtensions
{
    public const string HttpEndpointName = "http";

    /// <summary>
    /// Prometheus reading <c>prometheus.yml</c> from its resource folder (the caller writes it
    /// before the start), its TSDB in the folder's data, console templates (the dashboards) from
    /// <paramref name="consoles"/> and their libraries from <paramref name="consoleLibraries"/>.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddNativePrometheus(
        this IDistributedApplicationBuilder builder, string name, string consoles, string consoleLibraries, TimeSpan retention)
    {
        var folder = NativeServerFolders.For(builder).ForResource(name);
        NativeServerSetup.Require(builder, ServerPackage.Prometheus);
        var prometheus = builder.AddExecutable(name, "prometheus", folder)
            .WithHttpEndpoint(name: HttpEndpointName);
        var http = prometheus.GetEndpoint(HttpEndpointName);
        var data = new NativeDataAnnotation(folder);
        return prometheus
            .WithArgs(context =>
            {
                context.Args.Add($"--config.file={ConfigPath(folder)}");
                context.Args.Add($"--storage.tsdb.path={data.DataPath}");
                context.Args.Add(string.Create(CultureInfo.InvariantCulture, $"--storage.tsdb.retention.time={(int)retention.TotalHours}h"));
                // Loopback only: its API can read every series, and the dashboards need no login here.
                context.Args.Add(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{http.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add($"--web.console.templates={consoles}");
                context.Args.Add($"--web.console.libraries={consoleLibraries}");
                context.Args.Add("--web.page-title=ShopAspire monitoring");
            })
            .WithAnnotation(data)
            .WithIconName("ChartMultiple")
            .WithHttpHealthCheck("/-/ready", endpointName: HttpEndpointName);
    }

    /// <summary>Where the resource's configuration goes (written by the caller before the start).</summary>
    public static string ConfigPath(string folder) => Path.Combine(folder, "prometheus.yml");

    /// <summary>The folder of a native Prometheus resource.</summary>
    public static string FolderOf(IDistributedApplicationBuilder builder, string name) =>
        NativeServerFolders.For(builder).ForResource(name);

    /// <summary>Keeps the TSDB across runs (history survives restarts of the AppHost), as WithDataVolume does for a container.</summary>
    public static IResourceBuilder<ExecutableResource> WithDataVolume(this IResourceBuilder<ExecutableResource> builder) =>
        builder.WithAnnotation(new KeepDataAnnotation());
}
