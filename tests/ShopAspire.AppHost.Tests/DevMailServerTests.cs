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
    public async Task Mail_runs_the_smtp4dev_tool_on_ports_aspire_allocates_with_its_data_in_the_data_root()
    {
        using var folder = new TempFolder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var entryPoint = Assembly.LoadFrom(AppHostProcess.DllPath).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{AppHostProcess.DllPath} has no entry point.");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync(entryPoint,
            [$"--ShopAspire:DataRoot={folder.Path}", "--ShopAspire:ThrowawayData=true", "--ShopAspire:Servers=native"],
            (_, _) => { },
            timeout.Token);

        var mail = Assert.IsAssignableFrom<ExecutableResource>(builder.Resources.Single(r => r.Name == "mail"));
        Assert.Equal("dotnet", mail.Command);
        Assert.True(File.Exists(Path.Combine(mail.WorkingDirectory, "..", ".config", "dotnet-tools.json")), $"no tool manifest above {mail.WorkingDirectory}");
        var endpoints = mail.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(["http", "smtp"], endpoints.Keys.Order(StringComparer.Ordinal));
        // Two stacks on one machine must not collide: no fixed port, proxied or not.
        Assert.All(endpoints.Values, e => Assert.True(e.Port is null && e.TargetPort is null, $"{e.Name} has a fixed port"));
        Assert.True(mail.TryGetLastAnnotation<NativeDataAnnotation>(out var data));
        Assert.Equal(Path.Combine(folder.Path, "mail", "data"), data.DataPath);
        Assert.True(mail.TryGetLastAnnotation<KeepDataAnnotation>(out _), "mail should be kept across runs, like the servers' data volumes");
        Assert.Contains(mail.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Contains("mail", StringComparison.Ordinal));
    }
}
