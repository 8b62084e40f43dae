using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>Debian installs each PostgreSQL major version under /usr/lib/postgresql/&lt;major&gt;/bin.</summary>
internal static class PostgresBinaries
{
    public static readonly ServerPackage Package = new("postgresql", () => FindBinDirectory());

    public static string? FindBinDirectory()
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
