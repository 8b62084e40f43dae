using System.Security.Cryptography;
using System.Text;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting.Infrastructure;

/// <summary>
/// Where one stack keeps its files. A developer's stack keeps data between runs (WithDataVolume)
/// in a folder per AppHost outside the repository, readable by the postgres user when the AppHost
/// runs as root; a test stack gets a throwaway folder that is deleted when it stops.
/// </summary>
public sealed class StackDirectories
{
    private StackDirectories(string root, bool ephemeral)
    {
        Root = root;
        IsEphemeral = ephemeral;
        Directory.CreateDirectory(root);
        OpenForServerUsers(root);
        Directory.CreateDirectory(Logs);
    }

    public string Root { get; }

    public bool IsEphemeral { get; }

    public string Logs => Path.Combine(Root, "logs");

    /// <summary>A resource's own folder, created on first use.</summary>
    public string ForResource(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(path);
        OpenForServerUsers(path);
        return path;
    }

    public static StackDirectories Create(DistributedApplicationOptions options, string appHostKey)
    {
        if (options.EphemeralData)
        {
            var temp = Path.Combine(Path.GetTempPath(), $"shopaspire-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            return new StackDirectories(temp, ephemeral: true);
        }
        return new StackDirectories(options.DataRoot ?? DefaultPersistentRoot(appHostKey), ephemeral: false);
    }

    /// <summary>
    /// One folder per AppHost location, so two checkouts keep separate data:
    /// /var/lib/shopaspire/&lt;hash&gt; as root, else $XDG_STATE_HOME/shopaspire/&lt;hash&gt;.
    /// </summary>
    public static string DefaultPersistentRoot(string appHostKey)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostKey)))[..12];
        if (Environment.GetEnvironmentVariable("SHOPASPIRE_DATA_ROOT") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, hash);
        }
        if (UnixProcess.IsRoot)
        {
            return Path.Combine("/var/lib/shopaspire", hash);
        }
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "shopaspire", hash);
    }

    public void DeleteIfEphemeral()
    {
        if (IsEphemeral && Directory.Exists(Root))
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A server may still be flushing a file; the temp folder is cleaned by the OS later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    // The servers run as their own users when the AppHost is root; they must be able to traverse.
    private static void OpenForServerUsers(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}
