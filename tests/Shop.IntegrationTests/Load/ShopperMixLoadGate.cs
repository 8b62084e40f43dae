using System.Diagnostics;
using Shop.IntegrationTests.Async;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The CI load gate: loadtest/shopper-mix.yml's short run (40 s of browse, search, product
/// page, cart and checkout, order history) against the test stack, after a 10 s warm-up whose
/// figures are thrown away (JIT, caches, connection pools), on the failure drills' stack after the
/// drills (see FailureStackCollection) once the machine is quiet. Fails on Artillery's ensure checks
/// (absolute p95s, failed visits), on more than 1% failed requests, or on a request name whose
/// p95 / calibration p95 is more than 20% above loadtest/baseline.json in every one of up to
/// three runs (a run that shows only such regressions is followed by another: see LoadGate).
/// With LOADTEST_UPDATE_BASELINE=1 (loadtest/run.sh update-baseline) it runs five times and
/// writes the baseline from those runs instead of comparing, if they are otherwise clean.
/// </summary>
[Collection(FailureStackCollection.Name)]
[RunLast]
public sealed class ShopperMixLoadGate(BackendStackFixture stack, ITestOutputHelper output)
{
    private const string Scenario = "shopper-mix.yml";

    private static bool UpdatingBaseline => Environment.GetEnvironmentVariable("LOADTEST_UPDATE_BASELINE") == "1";

    [Fact]
    public async Task The_short_shopper_mix_keeps_its_error_rate_thresholds_and_baseline_ratios()
    {
        using var api = stack.CreateHttpClient("api");
        var target = api.BaseAddress!;
        var installing = Artillery.EnsureInstalledAsync();
        // The other collections are still running; the measurements wait for them to finish.
        Report($"load gate: {await QuietMachine.WaitAsync(busyBelow: 0.5, atMost: TimeSpan.FromMinutes(8))}");
        var artillery = await installing;
        var clock = Stopwatch.StartNew();
        var warmupReport = Path.Combine(Path.GetTempPath(), $"shopaspire-load-warmup-{Guid.NewGuid():N}.json");
        var warmup = await artillery.RunAsync(Scenario, "warmup", target, warmupReport, judged: false);
        File.Delete(warmupReport);
        Report($"warm-up against {target}: exit {warmup.Exit} after {clock.Elapsed.TotalSeconds:0} s");

        var baseline = UpdatingBaseline ? new LoadBaseline(new Dictionary<string, double>()) : LoadBaseline.Read(LoadBaseline.FilePath);
        var verdicts = new List<LoadGate.Verdict>();
        var reports = new List<LoadReport>();
        do
        {
            var run = await RunShortAsync(artillery, target);
            var report = LoadReport.Read(run.ReportPath);
            var verdict = LoadGate.Judge(report, baseline);
            reports.Add(report);
            verdicts.Add(verdict);
            Report($"load gate run {verdicts.Count} ({clock.Elapsed.TotalSeconds:0} s since the warm-up began; {run.ReportPath}):\n{verdict.Summary}\n{string.Join("\n", run.Checks)}");
            Assert.True(run.Exit == 0,
                $"Artillery's ensure checks (loadtest/{Scenario}) failed, or the run did (exit {run.Exit}):\n{string.Join("\n", run.Checks)}\n\n{verdict.Summary}\n{Tail(run.Output)}");
        }
        while (UpdatingBaseline ? verdicts.Count < LoadBaseline.Runs : verdicts[^1].OnlyRegressed && verdicts.Count < LoadGate.MaxRuns);

        if (UpdatingBaseline)
        {
            Assert.All(reports, report => Assert.True(report.ErrorRate <= LoadGate.MaxErrorRate, $"Not a baseline: {report.FailedRequests} of {report.Requests} requests failed."));
            await File.WriteAllTextAsync(LoadBaseline.FilePath, LoadBaseline.Describe(reports, LoadGate.Calibration, DateTimeOffset.UtcNow));
            Report($"wrote {LoadBaseline.FilePath}");
            return;
        }
        var failures = LoadGate.Confirmed(verdicts);
        Assert.True(failures.Count == 0,
            $"The load gate failed ({verdicts.Count} run(s); a regression fails only when every run shows it):\n{string.Join("\n", failures)}\n\n{verdicts[^1].Summary}\n\n"
            + "A change meant to cost this much is recorded with 'loadtest/run.sh update-baseline' (docs/measuring.md).");
    }

    /// <summary>One measured short run; its report is kept in loadtest/reports (ignored by git).</summary>
    private async Task<Artillery.Run> RunShortAsync(Artillery artillery, Uri target)
    {
        var reports = Path.Combine(Artillery.LoadTestFolder, "reports");
        Directory.CreateDirectory(reports);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var run = await artillery.RunAsync(Scenario, "short", target, Path.Combine(reports, $"gate-{stamp}-short.json"));
        Assert.True(File.Exists(run.ReportPath), $"Artillery wrote no report (exit {run.Exit}):\n{Tail(run.Output)}");
        return run;
    }

    private void Report(string text)
    {
        output.WriteLine(text);
        Console.WriteLine(text);
    }

    private static string Tail(string text) => string.Join("\n", text.Split('\n').TakeLast(60));
}
