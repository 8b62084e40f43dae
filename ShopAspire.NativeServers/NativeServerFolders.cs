using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace ShopAspire.NativeServers;

/// <summary>
/// Where native servers keep their files. A developer's stack keeps data across runs (what
/// WithDataVolume means for a container) in one folder per AppHost, outside the repository;
/// a test stack passes <c>ShopAspire:DataRoot</c> (a throwaway folder it deletes) and
/// <c>ShopAspire:ThrowawayData=true</c> (servers trade durability for speed).
/// </summary>
public sealed class NativeServerFolders
{
    public const string DataRootKey = "ShopAspire:DataRoot";
    public const string ThrowawayDataKey = "ShopAspire:ThrowawayData";

    private NativeServerFolders(string root, bool throwaway)
    {
        Root = root;
        Throwaway = throwaway;
    }

    public string Root { get; }

    /// <summary>Test data: fsync off, nothing kept.</summary>
    public bool Throwaway { get; }

    public static NativeServerFolders For(IDistributedApplicationBuilder builder)
    {
        var throwaway = builder.Configuration.GetValue<bool>(ThrowawayDataKey);
        var root = builder.Configuration[DataRootKey] is { Length: > 0 } configured
            ? configured
            : DefaultRoot(builder.AppHostDirectory);
        return new NativeServerFolders(Path.GetFullPath(root), throwaway);
    }

    /// <summary>A resource's folder, created and made traversable for the servers' own users.</summary>
    public string ForResource(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(path);
        OpenForServerUsers(Root);
        OpenForServerUsers(path);
        return path;
    }

    /// <summary>/var/lib/shopaspire/&lt;hash&gt; as root, else $XDG_STATE_HOME/shopaspire/&lt;hash&gt;; one per checkout.</summary>
    internal static string DefaultRoot(string appHostDirectory) =>
        DefaultRoot(appHostDirectory, Environment.UserName, Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The same, for a given user, environment and home folder.</summary>
    internal static string DefaultRoot(string appHostDirectory, string userName, Func<string, string?> environment, string home)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(Path.GetFullPath(appHostDirectory)))))[..12];
        if (environment("SHOPASPIRE_DATA_ROOT") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, hash);
        }
        if (userName == "root")
        {
            return Path.Combine("/var/lib/shopaspire", hash);
        }
        var state = environment("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(home, ".local", "state");
        return Path.Combine(state, "shopaspire", hash);
    }

    private static void OpenForServerUsers(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}
