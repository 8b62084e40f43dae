using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.ApiDocs;

/// <summary>
/// Redocly CLI (npm @redocly/cli, pinned) run with Debian's node: installed into a cache folder
/// under the temp directory on first use, node and npm with apt-get when missing (as root, as the
/// browser tests install Chromium), so a fresh CI machine needs no step of its own.
/// </summary>
public static class Redocly
{
    public const string Version = "2.77.0";

    private static readonly string CacheFolder = Path.Combine(Path.GetTempPath(), $"shopaspire-redocly-{Version}");
    private static readonly SemaphoreSlim Installing = new(1, 1);

    // No update check, no telemetry: the lint talks to nothing but the file.
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
    };

    public sealed record LintTotals(int Errors, int Warnings, string Problems);

    /// <summary>Lints <paramref name="documentPath"/> with <paramref name="configPath"/> (redocly.yaml).</summary>
    public static async Task<LintTotals> LintAsync(string documentPath, string configPath)
    {
        var cli = await EnsureInstalledAsync();
        var (exit, stdout, stderr) = await NodeTools.RunAsync("node", $"\"{cli}\" lint \"{documentPath}\" --config \"{configPath}\" --format=json", environment: Quiet);
        // Exit 1 just means errors were found; the JSON report is on stdout either way.
        var start = stdout.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"redocly lint exited {exit} without a report:\n{stdout}\n{stderr}");
        }
        var report = JsonDocument.Parse(stdout[start..]).RootElement;
        var totals = report.GetProperty("totals");
        var problems = string.Join("\n", report.GetProperty("problems").EnumerateArray().Select(p =>
            $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at "
            + string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var pointer) ? pointer.GetString() : "?"))));
        return new LintTotals(totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32(), problems);
    }

    /// <summary>The CLI's entry script, installing node, npm and the pinned CLI when missing.</summary>
    private static async Task<string> EnsureInstalledAsync()
    {
        var cli = Path.Combine(CacheFolder, "node_modules", "@redocly", "cli", "bin", "cli.js");
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(cli))
            {
                return cli;
            }
            await NodeTools.EnsureNodeAndNpmAsync("The API lint");
            // Into a fresh folder, then renamed: a half-finished install is never taken for a whole one.
            var staging = $"{CacheFolder}.{Environment.ProcessId}";
            Directory.CreateDirectory(staging);
            var (exit, stdout, stderr) = await NodeTools.RunAsync("npm", $"install --prefix \"{staging}\" --no-audit --no-fund --loglevel=error @redocly/cli@{Version}");
            if (exit != 0)
            {
                throw new InvalidOperationException($"npm install @redocly/cli@{Version} failed ({exit}):\n{stdout}\n{stderr}");
            }
            if (!Directory.Exists(CacheFolder))
            {
                Directory.Move(staging, CacheFolder);
            }
            return File.Exists(cli) ? cli : throw new FileNotFoundException($"npm installed @redocly/cli@{Version} without {cli}.");
        }
        finally
        {
            Installing.Release();
        }
    }
}
