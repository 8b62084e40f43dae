namespace ShopAspire.NativeServers;

/// <summary>The small shell launchers under Scripts/, written next to a server's data before it starts.</summary>
internal static class LauncherScripts
{
    public static string WriteTo(string folder, string scriptName)
    {
        using var source = typeof(LauncherScripts).Assembly.GetManifestResourceStream(scriptName)
            ?? throw new InvalidOperationException($"Launcher script '{scriptName}' is not embedded.");
        var path = Path.Combine(folder, scriptName);
        using (var target = File.Create(path))
        {
            source.CopyTo(target);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        return path;
    }
}
