using System.Diagnostics;
using ShopAspire.NativeServers;

namespace ShopAspire.AppHost.Tests;

public sealed class LauncherScriptTests
{
    public static TheoryData<string> Scripts => new() { "postgres.sh", "redis.sh", "rabbitmq.sh" };

    [Fact]
    public void The_library_embeds_a_launcher_for_each_server_and_nothing_else()
    {
        var embedded = typeof(NativeServerFolders).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sh", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["postgres.sh", "rabbitmq.sh", "redis.sh"], embedded);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Each_launcher_is_written_executable_and_passes_a_shell_syntax_check(string script)
    {
        using var folder = new TempFolder();
        var path = LauncherScripts.WriteTo(folder.Path, script);

        Assert.Equal(Path.Combine(folder.Path, script), path);
        Assert.StartsWith("#!/bin/sh\n", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        }
        var (exitCode, errors) = SyntaxCheck(path);
        Assert.True(exitCode == 0, $"sh -n {script} failed: {errors}");
    }

    [Fact]
    public void The_syntax_check_rejects_a_broken_script()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "broken.sh");
        File.WriteAllText(path, "#!/bin/sh\nif [ -n \"$1\" ]; then\n  echo unterminated\n");
        Assert.NotEqual(0, SyntaxCheck(path).ExitCode);
    }

    [Fact]
    public void Writing_an_unknown_launcher_fails_with_its_name()
    {
        using var folder = new TempFolder();
        var failure = Assert.Throws<InvalidOperationException>(() => LauncherScripts.WriteTo(folder.Path, "mysql.sh"));
        Assert.Contains("'mysql.sh'", failure.Message, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Errors) SyntaxCheck(string path)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors);
    }
}
