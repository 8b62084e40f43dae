using System.Diagnostics;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace ShopAspire.NativeServers;

/// <summary>How the app model runs Postgres, Redis and RabbitMQ: Aspire's containers, or Debian's binaries under DCP.</summary>
public enum ServerRuntime
{
    Containers,
    NativeProcesses,
}

public static class ServerRuntimeSelection
{
    /// <summary>Configuration key that forces a runtime: <c>containers</c>, <c>native</c> or <c>auto</c> (default).</summary>
    public const string ConfigurationKey = "ShopAspire:Servers";

    /// <summary>
    /// Containers when publishing (azd maps them to cloud services), else the forced runtime, else
    /// containers when a container runtime really answers; otherwise native processes. A docker CLI on PATH is not enough: without a
    /// daemon Aspire would leave every container resource RuntimeUnhealthy and nothing would start.
    /// </summary>
    public static ServerRuntime ChooseServerRuntime(this IDistributedApplicationBuilder builder)
    {
        var forced = builder.Configuration[ConfigurationKey];
        return Decide(forced, builder.ExecutionContext.IsPublishMode, ContainerRuntimeAnswers);
    }

    /// <summary>
    /// Publishing always gets containers, whatever is forced: the setting says how to run the servers
    /// on this machine, while a manifest describes the deployment (azd maps container.v0 to cloud
    /// services; native executables would name this machine's paths and ports). A bad value is
    /// reported in both modes.
    /// </summary>
    internal static ServerRuntime Decide(string? forced, bool publishing, Func<bool> containerRuntimeAnswers)
    {
        ServerRuntime? chosen = forced?.Trim().ToLowerInvariant() switch
        {
            "containers" or "container" => ServerRuntime.Containers,
            "native" => ServerRuntime.NativeProcesses,
            null or "" or "auto" => null,
            _ => throw new DistributedApplicationException(
                $"'{ConfigurationKey}' is '{forced}'; use 'containers', 'native' or 'auto'."),
        };
        if (publishing)
        {
            return ServerRuntime.Containers;
        }
        return chosen ?? (containerRuntimeAnswers() ? ServerRuntime.Containers : ServerRuntime.NativeProcesses);
    }

    private static bool ContainerRuntimeAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // No such CLI.
        }
    }
}
