using System.Diagnostics;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium drives the tests: Playwright never downloads a browser. Installed with apt
/// when missing and we are root (CI containers); otherwise a message says what to install.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task EnsureInstalledAsync()
    {
        // Belt and braces: nothing in this process may fetch Playwright's own browsers.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (File.Exists(ExecutablePath))
        {
            return;
        }
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}. Install it with 'sudo apt-get install -y chromium' " +
                "(the tests install it themselves only when run as root). Playwright's own browser download is not used.");
        }
        if (await RunAsync("apt-get", "install -y chromium") != 0)
        {
            await RunAsync("apt-get", "update");
            if (await RunAsync("apt-get", "install -y chromium") != 0 || !File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"'apt-get install -y chromium' failed; install Chromium at {ExecutablePath} and run the tests again.");
            }
        }
    }

    private static async Task<int> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }
}
