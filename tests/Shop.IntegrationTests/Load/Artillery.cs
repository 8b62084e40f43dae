using System.Security.Cryptography;
using Shop.IntegrationTests.Docs;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The Artillery that loadtest/package-lock.json pins, installed with <c>npm ci</c> into a cache
/// folder under the temp directory named after the lock file's hash (a new pin installs anew,
/// the same pin once per machine), and run with the machine's node.
/// </summary>
public sealed class Artillery
{
    /// <summary>
    /// Artillery 2.0.21 is the last release for Node below 22, and the dependencies its lock
    /// resolves need 20 (the machines have 20; Debian 12's own nodejs package, 18, is too old).
    /// </summary>
    private const int MinimumNodeMajor = 20;

    private static readonly SemaphoreSlim Installing = new(1, 1);

    // No telemetry (with loadtest/no-telemetry.cjs, which stops the event Artillery sends even
    // then), no colour codes in the test log.
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["ARTILLERY_DISABLE_TELEMETRY"] = "true",
        ["FORCE_COLOR"] = "0",
        ["NO_COLOR"] = "1",
    };

    private readonly string _cli;

    private Artillery(string cli) => _cli = cli;

    /// <summary>The repository's loadtest/ folder: package files, scenarios, baseline.</summary>
    public static string LoadTestFolder { get; } = Path.Combine(RepositoryRoot.Path, "loadtest");

    /// <summary>The preload that keeps Artillery's telemetry client from loading.</summary>
    public static string NoTelemetryPreload { get; } = Path.Combine(LoadTestFolder, "no-telemetry.cjs");

    /// <summary>The folder Artillery is installed in (its node_modules beside loadtest/'s lock file).</summary>
    public string InstallFolder => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(_cli)!, "..", "..", ".."));

    public sealed record Run(int Exit, string Output, string ReportPath)
    {
        /// <summary>Artillery's verdicts on the scenario's <c>ensure</c> checks ("ok: ..." / "fail: ...").</summary>
        public IReadOnlyList<string> Checks => Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("ok: ", StringComparison.Ordinal) || line.StartsWith("fail: ", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Installs node, npm and the pinned Artillery when missing.</summary>
    public static async Task<Artillery> EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            var cacheFolder = Path.Combine(Path.GetTempPath(), $"shopaspire-artillery-{LockHash()}");
            var cli = Path.Combine(cacheFolder, "node_modules", "artillery", "bin", "run");
            if (File.Exists(cli))
            {
                return new Artillery(cli);
            }
            await NodeTools.EnsureNodeAndNpmAsync("The load gate");
            if (await NodeTools.NodeMajorVersionAsync() is var major and < MinimumNodeMajor)
            {
                throw new InvalidOperationException($"The load gate's Artillery needs Node.js {MinimumNodeMajor} or later; this machine's node is {major}.");
            }
            // Into a fresh folder, then renamed: a half-finished install is never taken for a whole one.
            var staging = $"{cacheFolder}.{Environment.ProcessId}";
            Directory.CreateDirectory(staging);
            foreach (var file in new[] { "package.json", "package-lock.json", ".npmrc" })
            {
                File.Copy(Path.Combine(LoadTestFolder, file), Path.Combine(staging, file), overwrite: true);
            }
            // No install scripts: Artillery's browser engine would download a Chromium build.
            var install = await NodeTools.RunAsync("npm", "ci --ignore-scripts --no-audit --no-fund --loglevel=error",
                workingDirectory: staging, timeout: TimeSpan.FromMinutes(15));
            if (install.Exit != 0)
            {
                throw new InvalidOperationException($"npm ci in a copy of loadtest/ failed ({install.Exit}):\n{install.Stdout}\n{install.Stderr}");
            }
            if (!Directory.Exists(cacheFolder))
            {
                Directory.Move(staging, cacheFolder);
            }
            return File.Exists(cli) ? new Artillery(cli) : throw new FileNotFoundException($"npm ci installed no {cli}.");
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>
    /// Runs loadtest/<paramref name="scenarioFile"/> with its environment
    /// <paramref name="environment"/> (warmup, short, long) against <paramref name="target"/>,
    /// writing the JSON report to <paramref name="reportPath"/>; not <paramref name="judged"/>
    /// (a warm-up), without the scenario's ensure checks.
    /// </summary>
    public async Task<Run> RunAsync(string scenarioFile, string environment, Uri target, string reportPath, bool judged = true)
    {
        var arguments = $"--require \"{NoTelemetryPreload}\" \"{_cli}\" run --target \"{target.GetLeftPart(UriPartial.Authority)}\" -e {environment} --output \"{reportPath}\" \"{scenarioFile}\"";
        var variables = new Dictionary<string, string>(Quiet);
        if (!judged)
        {
            variables["ARTILLERY_DISABLE_ENSURE"] = "1";
        }
        var run = await NodeTools.RunAsync("node", arguments, workingDirectory: LoadTestFolder, environment: variables, timeout: TimeSpan.FromMinutes(10));
        return new Run(run.Exit, run.Stdout + run.Stderr, reportPath);
    }

    private static string LockHash() =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(LoadTestFolder, "package-lock.json"))))[..12].ToLowerInvariant();
}
