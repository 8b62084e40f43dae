using System.Diagnostics;

namespace ShopAspire.Hosting.Infrastructure;

/// <summary>A server binary and the Debian package that provides it.</summary>
public sealed record ServerPackage(string Package, Func<string?> Locate)
{
    public static string? OnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// Acquires missing server binaries the way Aspire pulls a missing image: with apt-get when the
/// AppHost runs as root, printing what it does; otherwise it stops with the exact command to run.
/// apt-get waits for the dpkg lock, and a file lock of ours serialises concurrent AppHosts, so two
/// runs racing to install are safe.
/// </summary>
public sealed class ServerPackages(TextWriter output)
{
    private const string LockFile = "/tmp/shopaspire-apt.lock";

    public async Task EnsureInstalledAsync(IEnumerable<ServerPackage> required, CancellationToken cancellationToken)
    {
        var missing = required.Where(p => p.Locate() is null).Select(p => p.Package).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return;
        }
        var command = $"apt-get install -y --no-install-recommends {string.Join(' ', missing)}";
        if (!Processes.UnixProcess.IsRoot)
        {
            throw new DistributedApplicationException(
                $"Missing server packages: {string.Join(", ", missing)}. Install them with:\n    sudo {command}");
        }

        await using var gate = await AcquireLockAsync(cancellationToken);
        missing = required.Where(p => p.Locate() is null).Select(p => p.Package).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return; // Another AppHost installed them while we waited.
        }
        output.WriteLine($"Installing {string.Join(", ", missing)} with apt-get (not found on this machine)...");
        var install = $"-o DPkg::Lock::Timeout=600 install -y --no-install-recommends {string.Join(' ', missing)}";
        if (await AptGetAsync(install, cancellationToken) != 0)
        {
            // A fresh machine may have no package lists yet.
            await AptGetAsync("-o DPkg::Lock::Timeout=600 update", cancellationToken);
            if (await AptGetAsync(install, cancellationToken) != 0)
            {
                throw new DistributedApplicationException($"apt-get could not install {string.Join(", ", missing)}; run '{command}' to see why.");
            }
        }
        var stillMissing = required.Where(p => p.Locate() is null).Select(p => p.Package).Distinct().ToArray();
        if (stillMissing.Length > 0)
        {
            throw new DistributedApplicationException($"Installed {string.Join(", ", missing)} but could not find the server binaries of {string.Join(", ", stillMissing)}.");
        }
        output.WriteLine($"Installed {string.Join(", ", missing)}.");
    }

    private async Task<int> AptGetAsync(string arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("apt-get", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No prompts, and do not start the distribution's own services: the AppHost runs private instances.
        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        startInfo.Environment["RUNLEVEL"] = "1";
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var errors = await stderr;
        await stdout;
        if (process.ExitCode != 0)
        {
            output.WriteLine($"apt-get {arguments} exited with {process.ExitCode}: {errors.Trim()}");
        }
        return process.ExitCode;
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
