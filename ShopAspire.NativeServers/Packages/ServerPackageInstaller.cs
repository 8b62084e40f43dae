using System.Diagnostics;
using Aspire.Hosting;

namespace ShopAspire.NativeServers.Packages;

/// <summary>
/// Installs missing server binaries the way Aspire pulls a missing image: with apt-get when the
/// AppHost runs as root (apt's progress on the console; `apt-get update` first when the package
/// lists do not know a package), otherwise it stops with the exact command to run. A file lock
/// serialises AppHosts on one machine and apt-get waits for dpkg's lock, so racing runs are safe.
/// </summary>
public sealed class ServerPackageInstaller(TextWriter output)
{
    private const string LockFile = "/tmp/shopaspire-apt.lock";

    public async Task EnsureInstalledAsync(IReadOnlyCollection<ServerPackage> required, CancellationToken cancellationToken)
    {
        if (Missing(required) is not { Length: > 0 } missing)
        {
            return;
        }
        var command = InstallCommand(missing);
        if (Environment.UserName != "root")
        {
            throw new DistributedApplicationException(
                $"Missing server packages: {string.Join(", ", missing)}. Install them with:\n    sudo apt-get update && sudo {command}\n" +
                "or run with containers (ShopAspire:Servers=containers) where a container runtime is available.");
        }

        await using var gate = await AcquireLockAsync(cancellationToken);
        if (Missing(required) is not { Length: > 0 } stillMissing)
        {
            return; // Another AppHost installed them while we waited.
        }
        output.WriteLine($"Installing {string.Join(", ", stillMissing)} with apt-get (not found on this machine)...");
        if (!KnownToApt(stillMissing))
        {
            await AptGetAsync("-o DPkg::Lock::Timeout=600 update", cancellationToken);
        }
        if (await AptGetAsync($"-o DPkg::Lock::Timeout=600 {command["apt-get ".Length..]}", cancellationToken) != 0)
        {
            await AptGetAsync("-o DPkg::Lock::Timeout=600 update", cancellationToken);
            if (await AptGetAsync($"-o DPkg::Lock::Timeout=600 {command["apt-get ".Length..]}", cancellationToken) != 0)
            {
                throw new DistributedApplicationException($"apt-get could not install {string.Join(", ", stillMissing)}; run '{command}' to see why.");
            }
        }
        if (Missing(required) is { Length: > 0 } notFound)
        {
            throw new DistributedApplicationException($"Installed packages but still cannot find the server binaries of {string.Join(", ", notFound)}.");
        }
        output.WriteLine($"Installed {string.Join(", ", stillMissing)}.");
    }

    internal static string[] Missing(IEnumerable<ServerPackage> required) =>
        required.Where(p => p.Locate() is null).Select(p => p.Package).Distinct().Order(StringComparer.Ordinal).ToArray();

    internal static string InstallCommand(IEnumerable<string> packages) =>
        $"apt-get install -y --no-install-recommends {string.Join(' ', packages)}";

    // `apt-cache policy` prints "Candidate: (none)" (or nothing) for a package the lists do not know.
    private static bool KnownToApt(IEnumerable<string> packages)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("apt-cache", ["policy", .. packages])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var candidates = text.Split('\n').Count(l => l.TrimStart().StartsWith("Candidate:", StringComparison.Ordinal) && !l.Contains("(none)", StringComparison.Ordinal));
            return candidates == packages.Count();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private async Task<int> AptGetAsync(string arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // No prompts, and do not start the distribution's own services: the AppHost runs private instances.
        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        startInfo.Environment["RUNLEVEL"] = "1";
        output.WriteLine($"apt-get {arguments}");
        using var process = Process.Start(startInfo)!;
        var relay = Task.WhenAll(RelayAsync(process.StandardOutput), RelayAsync(process.StandardError));
        await process.WaitForExitAsync(cancellationToken);
        await relay;
        return process.ExitCode;
    }

    private async Task RelayAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            output.WriteLine($"  {line}");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
