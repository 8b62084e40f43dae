namespace ShopAspire.NativeServers.Packages;

/// <summary>A server binary and the Debian package that provides it.</summary>
public sealed record ServerPackage(string Package, Func<string?> Locate)
{
    public static readonly ServerPackage Postgres = new("postgresql", PostgresBinDirectory);
    public static readonly ServerPackage Redis = new("redis-server", () => OnPath("redis-server"));
    public static readonly ServerPackage Prometheus = new("prometheus", () => OnPath("prometheus"));
    public static readonly ServerPackage RabbitMQ = new("rabbitmq-server", () => File.Exists(RabbitMQServerScript) ? RabbitMQServerScript : null);

    /// <summary>Debian's own script; the /usr/sbin wrapper refuses users other than root and rabbitmq.</summary>
    public const string RabbitMQServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static string? OnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin:/usr/sbin:/sbin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);

    /// <summary>Debian installs each major version under /usr/lib/postgresql/&lt;major&gt;/bin; take the newest.</summary>
    public static string? PostgresBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(dir => (Dir: dir, Major: int.TryParse(Path.GetFileName(dir), out var major) ? major : 0))
            .Where(v => File.Exists(Path.Combine(v.Dir, "bin", "postgres")) && File.Exists(Path.Combine(v.Dir, "bin", "initdb")))
            .OrderByDescending(v => v.Major)
            .Select(v => Path.Combine(v.Dir, "bin"))
            .FirstOrDefault();
    }
}
