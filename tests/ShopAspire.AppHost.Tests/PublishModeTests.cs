using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace ShopAspire.AppHost.Tests;

/// <summary>What publish mode does with the app model beyond the default manifest.</summary>
public sealed class PublishModeTests
{
    [Fact]
    public async Task Manifest_gets_containers_and_touches_no_data_folder_even_when_native_servers_are_forced()
    {
        using var folder = new TempFolder();
        var dataRoot = Path.Combine(folder.Path, "native-data");
        var manifest = PublishedManifest.Read(await AppHostProcess.PublishManifestAsync(folder.Path, new Dictionary<string, string>
        {
            ["ShopAspire__Servers"] = "native",
            ["SHOPASPIRE_DATA_ROOT"] = dataRoot,
        }));

        foreach (var server in new[] { "postgres", "cache", "messaging" })
        {
            Assert.Matches("^container\\.v[01]$", PublishedManifest.Type(manifest[server]!.AsObject()));
        }
        Assert.DoesNotContain(manifest, r => PublishedManifest.Type(r.Value!.AsObject()) == "executable.v0");
        Assert.False(manifest.ContainsKey("messaging-epmd"));
        // Native servers would have made their folders and launcher scripts here.
        Assert.False(Directory.Exists(dataRoot), $"publishing created {dataRoot}");
    }

    [Fact]
    public async Task Publishing_with_an_unknown_server_runtime_fails_and_names_the_setting()
    {
        using var folder = new TempFolder();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AppHostProcess.PublishManifestAsync(folder.Path, new Dictionary<string, string>
        {
            ["ShopAspire__Servers"] = "podman",
        }));
        Assert.Contains("'ShopAspire:Servers' is 'podman'", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "aspire-manifest.json")));
    }

    /// <summary>
    /// The manifest format has no replica count (aspire-8.0.json allows no such field on
    /// project.v0/v1, and Aspire 13.6.5 writes none: dotnet/aspire#2629), so the count lives in the
    /// app model only. This reads it from the AppHost's own Program.cs, built in publish mode.
    /// </summary>
    [Fact]
    public async Task Published_app_model_runs_two_replicas_of_api_and_worker()
    {
        using var folder = new TempFolder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var entryPoint = Assembly.LoadFrom(AppHostProcess.DllPath).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{AppHostProcess.DllPath} has no entry point.");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync(entryPoint,
            // Empty overrides: a ShopAspire__Replicas__* variable of whoever runs the tests must not count.
            ["--publisher", "manifest", "--output-path", Path.Combine(folder.Path, "aspire-manifest.json"),
             "--ShopAspire:Replicas:api=", "--ShopAspire:Replicas:worker="],
            (_, _) => { },
            timeout.Token);

        Assert.True(builder.ExecutionContext.IsPublishMode);
        Assert.Equal(2, Replicas(builder, "api"));
        Assert.Equal(2, Replicas(builder, "worker"));
        Assert.Equal(1, Replicas(builder, "web"));
        Assert.Equal(1, Replicas(builder, "payments"));
        Assert.Equal(1, Replicas(builder, "mail"));
    }

    /// <summary>How azd recognises an AppHost: it asks MSBuild exactly this and reads the JSON.</summary>
    [Fact]
    public async Task AppHost_project_reports_IsAspireHost_and_the_Aspire_capability_as_azd_asks()
    {
        var (exitCode, output, errors) = await AppHostProcess.DotnetAsync("msbuild", AppHostProcess.ProjectPath, "--ignore:.sln",
            "--getProperty:IsAspireHost", "--getItem:ProjectCapability");
        Assert.True(exitCode == 0, errors + output);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("true", json.RootElement.GetProperty("Properties").GetProperty("IsAspireHost").GetString());
        Assert.Contains(json.RootElement.GetProperty("Items").GetProperty("ProjectCapability").EnumerateArray(),
            c => c.GetProperty("Identity").GetString() == "Aspire");
    }

    private static int Replicas(IDistributedApplicationTestingBuilder builder, string name)
    {
        var resource = builder.Resources.SingleOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"no resource '{name}'");
        return resource.TryGetLastAnnotation<ReplicaAnnotation>(out var replicas) ? replicas.Replicas : 1;
    }
}
