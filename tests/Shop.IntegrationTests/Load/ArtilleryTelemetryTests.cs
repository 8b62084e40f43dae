using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// Artillery sends a telemetry event even with ARTILLERY_DISABLE_TELEMETRY set, and where there is
/// no route out its DNS lookups hold each run open ~12 s after the load ends (twice per gate).
/// loadtest/no-telemetry.cjs fails that one require, which Artillery treats as telemetry off.
/// </summary>
public sealed class ArtilleryTelemetryTests
{
    // Run where Artillery is installed, so `require` resolves what Artillery's own would.
    private const string Probe = """
        let outcome = 'loaded';
        try { require('posthog-node'); } catch (e) { outcome = /telemetry is off/.test(e.message) ? 'blocked' : 'missing: ' + e.message; }
        require('chalk');
        process.stdout.write(outcome);
        """;

    [Fact]
    public async Task The_preload_stops_only_the_telemetry_client_from_loading()
    {
        var artillery = await Artillery.EnsureInstalledAsync();

        var probe = Probe.ReplaceLineEndings(" ");
        var without = await NodeTools.RunAsync("node", $"-e \"{probe}\"", workingDirectory: artillery.InstallFolder);
        var with = await NodeTools.RunAsync("node", $"--require \"{Artillery.NoTelemetryPreload}\" -e \"{probe}\"", workingDirectory: artillery.InstallFolder);

        Assert.True(without.Exit == 0 && with.Exit == 0, $"node failed: {without.Stderr}{with.Stderr}");
        Assert.Equal("loaded", without.Stdout.Trim()); // the client is installed: the preload has something to stop
        Assert.Equal("blocked", with.Stdout.Trim());
    }
}
