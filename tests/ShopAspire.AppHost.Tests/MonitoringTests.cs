using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ShopAspire.NativeServers;

namespace ShopAspire.AppHost.Tests;

/// <summary>The monitoring resource of the app model when run: Prometheus with the shop's dashboards and alert rules.</summary>
public sealed class MonitoringTests
{
    private static readonly string[] Scraped = ["api", "worker", "web", "payments"];

    [Fact]
    public async Task Monitoring_runs_prometheus_with_the_dashboards_and_rules_and_every_service_serves_metrics_to_it()
    {
        using var folder = new TempFolder();
        await using var builder = await CreateBuilderAsync(folder.Path);

        var monitoring = Assert.IsAssignableFrom<ExecutableResource>(builder.Resources.Single(r => r.Name == "monitoring"));
        Assert.Equal("prometheus", monitoring.Command);
        var args = await ArgsOfAsync(monitoring);
        var consoles = Assert.Single(args, a => a.StartsWith("--web.console.templates=", StringComparison.Ordinal)).Split('=', 2)[1];
        Assert.All(new[] { "red", "business", "infrastructure" }, d => Assert.True(File.Exists(Path.Combine(consoles, $"{d}.html")), $"no {d}.html in {consoles}"));
        Assert.Contains(args, a => a.StartsWith("--web.listen-address=127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(args, a => a == $"--storage.tsdb.path={Path.Combine(folder.Path, "monitoring", "data")}");
        var endpoint = Assert.Single(monitoring.Annotations.OfType<EndpointAnnotation>());
        Assert.True(endpoint.Port is null && endpoint.TargetPort is null, "two stacks on one machine must not share a fixed port");
        Assert.True(monitoring.TryGetLastAnnotation<KeepDataAnnotation>(out _), "history should outlive a restart, like the servers' data volumes");
        Assert.NotEmpty(monitoring.Annotations.OfType<HealthCheckAnnotation>());

        foreach (var name in Scraped)
        {
            var environment = await EnvironmentOfAsync(builder.Resources.Single(r => r.Name == name));
            Assert.Equal("/metrics", environment.GetValueOrDefault("Metrics__PrometheusPath"));
        }
    }

    [Fact]
    public async Task A_published_manifest_has_no_monitoring_resource()
    {
        using var folder = new TempFolder();
        await using var builder = await CreateBuilderAsync(folder.Path, "--publisher", "manifest", "--output-path", Path.Combine(folder.Path, "manifest.json"));

        Assert.True(builder.ExecutionContext.IsPublishMode);
        Assert.DoesNotContain(builder.Resources, r => r.Name == "monitoring");
    }

    private static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string dataRoot, params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var entryPoint = Assembly.LoadFrom(AppHostProcess.DllPath).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{AppHostProcess.DllPath} has no entry point.");
        return await DistributedApplicationTestingBuilder.CreateAsync(entryPoint,
            [$"--ShopAspire:DataRoot={dataRoot}", "--ShopAspire:ThrowawayData=true", "--ShopAspire:Servers=native", .. args],
            (_, _) => { },
            timeout.Token);
    }

    /// <summary>
    /// The arguments as text, placeholders for what is not known yet. The callbacks run unevaluated: a port is allocated only
    /// when the app starts, and evaluating a reference to one before that waits forever.
    /// </summary>
    private static async Task<List<string>> ArgsOfAsync(IResource resource)
    {
        var args = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, CancellationToken.None));
        }
        // A reference expression as its format ("--x=127.0.0.1:{0}"): the text around the port.
        return [.. args.Select(a => a switch { string text => text, ReferenceExpression expression => expression.Format, _ => null }).OfType<string>()];
    }

    /// <summary>The environment variables whose values are plain text (see <see cref="ArgsOfAsync"/>).</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource)
    {
        var variables = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, variables);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return variables.Where(kv => kv.Value is string).ToDictionary(kv => kv.Key, kv => (string)kv.Value, StringComparer.Ordinal);
    }
}
