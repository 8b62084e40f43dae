using System.Diagnostics;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Node and npm for the npm CLIs the tests run (Redocly, Artillery): installed with apt-get when
/// missing (as root, as the browser tests install Chromium), so a fresh CI machine needs no step
/// of its own; and a way to run a command and collect what it printed.
/// </summary>
public static class NodeTools
{
    public sealed record Outcome(int Exit, string Stdout, string Stderr);

    /// <summary>Installs node and npm with apt-get unless both answer; throws saying how when it cannot.</summary>
    public static async Task EnsureNodeAndNpmAsync(string neededFor)
    {
        if (await CanRunAsync("node") && await CanRunAsync("npm"))
        {
            return;
        }
        const string packages = "nodejs npm";
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{neededFor} needs node and npm: 'sudo apt-get install -y {packages}' (the tests install them themselves only as root).");
        }
        if ((await RunAsync("apt-get", $"install -y {packages}")).Exit != 0)
        {
            await RunAsync("apt-get", "update");
            var install = await RunAsync("apt-get", $"install -y {packages}");
            if (install.Exit != 0)
            {
                throw new InvalidOperationException($"'apt-get install -y {packages}' failed:\n{install.Stdout}\n{install.Stderr}");
            }
        }
    }

    /// <summary>node's major version (20 for v20.20.2).</summary>
    public static async Task<int> NodeMajorVersionAsync()
    {
        var version = (await RunAsync("node", "--version")).Stdout.Trim().TrimStart('v');
        return int.Parse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs <paramref name="file"/> to its end (or <paramref name="timeout"/>, default 5 minutes,
    /// then kills it), with <paramref name="environment"/> added to this process's.
    /// </summary>
    public static async Task<Outcome> RunAsync(
        string file,
        string arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = new Process { StartInfo = start };
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Collect(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish within {(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds:0} s:\n{stdout}\n{stderr}");
        }
        // The exit is seen before the last buffered lines: this waits for them.
        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new Outcome(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }

        void Collect(System.Text.StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task<bool> CanRunAsync(string file)
    {
        try
        {
            return (await RunAsync(file, "--version")).Exit == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
