using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ShopAspire.AppHost.Tests;

/// <summary>The built ShopAspire.AppHost, run as azd runs it: a child process in publish mode.</summary>
internal static class AppHostProcess
{
    public static string DllPath { get; } = Metadata("AppHostPath");

    public static string ProjectPath { get; } = Metadata("AppHostProject");

    private static string Metadata(string key) =>
        typeof(AppHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The test assembly does not carry AssemblyMetadata {key}; build the test project.");

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; returns the exit code and standard output, or throws on timeout.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Runs <c>dotnet ShopAspire.AppHost.dll --publisher manifest --output-path &lt;folder&gt;/aspire-manifest.json</c>
    /// in <paramref name="folder"/> and returns the manifest's path; throws with the output when it fails.
    /// </summary>
    public static async Task<string> PublishManifestAsync(string folder, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(DllPath), $"The AppHost is not built at {DllPath}.");
        var manifest = Path.Combine(folder, "aspire-manifest.json");
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { DllPath, "--publisher", "manifest", "--output-path", manifest })
        {
            start.ArgumentList.Add(argument);
        }
        // The ambient settings of whoever runs the tests must not choose the runtime or the data folder.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ShopAspire__", StringComparison.OrdinalIgnoreCase) || k == "SHOPASPIRE_DATA_ROOT").ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPIRE_VERSION_CHECK_DISABLED"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = new StringBuilder();
        var stdout = RelayAsync(process.StandardOutput, output);
        var stderr = RelayAsync(process.StandardError, output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost did not finish publishing within 2 minutes:\n{output}");
        }
        await Task.WhenAll(stdout, stderr);
        Assert.True(process.ExitCode == 0, $"The AppHost exited with {process.ExitCode}:\n{output}");
        Assert.True(File.Exists(manifest), $"The AppHost exited 0 but wrote no manifest at {manifest}:\n{output}");
        return manifest;
    }

    private static async Task RelayAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}

/// <summary>A folder under the system temp directory, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"shopaspire-apphost-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
