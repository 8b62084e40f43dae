using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ShopAspire.NativeServers;

namespace ShopAspire.AppHost.Tests;

/// <summary>The mail resource of the app model when run: smtp4dev from the repository's tool manifest.</summary>
public sealed class DevMailServerTests
{
    [Fact]
    public async Task Mail_runs_the_smtp4dev_tool_on_free_ports_of_its_own_with_its_data_in_the_data_root()
    {
        using var folder = new TempFolder();
        using var other = new TempFolder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await BuildAsync(folder, timeout.Token);
        await using var second = await BuildAsync(other, timeout.Token);

        var mail = Assert.IsAssignableFrom<ExecutableResource>(builder.Resources.Single(r => r.Name == "mail"));
        Assert.Equal("dotnet", mail.Command);
        Assert.True(File.Exists(Path.Combine(mail.WorkingDirectory, "..", ".config", "dotnet-tools.json")), $"no tool manifest above {mail.WorkingDirectory}");
        var endpoints = Endpoints(mail);
        Assert.Equal(["http", "smtp"], endpoints.Keys.Order(StringComparer.Ordinal));
        // One instance, so no DCP proxy: the server listens on the port its clients are given.
        Assert.All(endpoints.Values, e => Assert.True(!e.IsProxied && e.Port is > 0 && e.Port == e.TargetPort, $"{e.Name}: proxied {e.IsProxied}, port {e.Port}, target {e.TargetPort}"));
        // Two stacks on one machine must not collide: each model picks free ports of its own.
        var secondEndpoints = Endpoints(second.Resources.Single(r => r.Name == "mail"));
        Assert.All(endpoints.Values, e => Assert.NotEqual(e.Port, secondEndpoints[e.Name].Port));
        Assert.True(mail.TryGetLastAnnotation<NativeDataAnnotation>(out var data));
        Assert.Equal(Path.Combine(folder.Path, "mail", "data"), data.DataPath);
        Assert.True(mail.TryGetLastAnnotation<KeepDataAnnotation>(out _), "mail should be kept across runs, like the servers' data volumes");
        Assert.Contains(mail.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Contains("mail", StringComparison.Ordinal));
    }

    private static Dictionary<string, EndpointAnnotation> Endpoints(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);

    private static async Task<IDistributedApplicationTestingBuilder> BuildAsync(TempFolder folder, CancellationToken cancellationToken)
    {
        var entryPoint = Assembly.LoadFrom(AppHostProcess.DllPath).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{AppHostProcess.DllPath} has no entry point.");
        return await DistributedApplicationTestingBuilder.CreateAsync(entryPoint,
            [$"--ShopAspire:DataRoot={folder.Path}", "--ShopAspire:ThrowawayData=true", "--ShopAspire:Servers=native"],
            (_, _) => { },
            cancellationToken);
    }
}
