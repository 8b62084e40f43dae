using System.Globalization;
using System.Text;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The load gate's judgement of one short run against the committed baseline: at most 1% of the
/// requests failed, and no request name's p95, as a multiple of the calibration request's p95 in
/// the same run, is more than 20% (and one calibration p95) above its baseline ratio. A machine
/// twice as slow or busy doubles both p95s and leaves the ratio; an endpoint that got slower
/// raises only its own.
/// (Absolute p95 limits are the scenario's <c>ensure</c> checks, which Artillery judges itself.)
/// </summary>
public static class LoadGate
{
    /// <summary>The trivial request every visit starts with (GET /alive).</summary>
    public const string Calibration = "calibration";

    /// <summary>The same 1% that shopper-mix.yml's ensure condition allows of failed visits, here of requests.</summary>
    public const double MaxErrorRate = 0.01;

    /// <summary>A ratio more than this much above its baseline fails (the 20%)...</summary>
    public const double MaxRegression = 0.20;

    /// <summary>
    /// ...and more than this many calibration p95s above it. The calibration's p95 is the run's
    /// jitter (a trivial request's slow tail is nothing but waiting for a core): a p95 of a few
    /// milliseconds cannot be told apart from one a jitter higher. Seen here on the same stack:
    /// product image 0.89x then 1.89x calibration with nothing changed (7 ms then 25 ms).
    /// </summary>
    public const double JitterAllowance = 1.0;

    /// <summary>
    /// ...and more than this many milliseconds above the p95 its baseline ratio allows in this run.
    /// On a quiet machine the calibration's p95 is 2-4 ms and a cheap request's p95 (the 6th
    /// slowest of ~120) moves by a scheduler time slice or a GC pause: product page 2.7x then 1.3x
    /// calibration in consecutive runs of one unchanged stack (11 ms then 4 ms), order 7.0x then
    /// 4.0x. A regression worth a verdict (a lost index, an N+1, a lock held too long) costs tens
    /// of milliseconds.
    /// </summary>
    public const double MinimumRegressionMs = 10;

    /// <summary>Fewer samples than this make a p95 one request's accident: the gate refuses to judge it.</summary>
    public const int MinimumSamples = 20;

    /// <summary>
    /// Requests whose cost is CPU by design (a password hash each): their p95 over a trivial
    /// request's measures how busy the cores are more than the code, 13-33x calibration across
    /// quiet runs of one unchanged stack here. They still count for errors and for the
    /// scenario's absolute p95 limit; their ratio is reported, not judged.
    /// </summary>
    public static readonly IReadOnlySet<string> NotGated = new HashSet<string>(["sign-in", "sign-up"], StringComparer.Ordinal);

    /// <summary>Runs of the short scenario a suspected regression gets in all, to show it again or not.</summary>
    public const int MaxRuns = 3;

    public sealed record EndpointVerdict(EndpointLatency Latency, double Ratio, double? BaselineRatio, string Outcome)
    {
        public bool Regressed => Outcome.StartsWith(RegressedOutcome, StringComparison.Ordinal);

        public string Failure => $"{Latency.Name}: {Outcome}";
    }

    /// <param name="Problems">What fails the run whatever the ratios: errors, a missing calibration or endpoint, too few samples.</param>
    public sealed record Verdict(IReadOnlyList<EndpointVerdict> Endpoints, IReadOnlyList<string> Problems, string Summary)
    {
        public IReadOnlyList<string> Failures => [.. Problems, .. Endpoints.Where(e => e.Regressed).Select(e => e.Failure)];

        public bool Passed => Failures.Count == 0;

        /// <summary>Only regressions, which another run may or may not show again.</summary>
        public bool OnlyRegressed => Problems.Count == 0 && !Passed;
    }

    private const string RegressedOutcome = "REGRESSED";

    /// <summary>
    /// The failures of a gate that ran the scenario <paramref name="runs"/>.Count times because
    /// the first runs showed only regressions: the last run's problems, and the endpoints that
    /// regressed in every run. A slower endpoint is slower each time; a burst of another
    /// process's work on a shared machine lands on a few requests of one run.
    /// </summary>
    public static IReadOnlyList<string> Confirmed(IReadOnlyList<Verdict> runs)
    {
        var last = runs[^1];
        var everyTime = runs.Skip(1).Aggregate(
            Regressions(runs[0]),
            (regressed, run) => regressed.Intersect(Regressions(run), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));
        return [.. last.Problems, .. last.Endpoints.Where(e => e.Regressed && everyTime.Contains(e.Latency.Name)).Select(e => e.Failure)];

        static HashSet<string> Regressions(Verdict run) => run.Endpoints.Where(e => e.Regressed).Select(e => e.Latency.Name).ToHashSet(StringComparer.Ordinal);
    }

    public static Verdict Judge(LoadReport report, LoadBaseline baseline)
    {
        var problems = new List<string>();
        if (report.ErrorRate > MaxErrorRate)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{report.FailedRequests} of {report.Requests} requests failed ({report.ErrorRate:P2}, more than {MaxErrorRate:P0}): {DescribeErrors(report)}"));
        }
        if (!report.Endpoints.TryGetValue(Calibration, out var calibration) || calibration.P95 <= 0)
        {
            problems.Add($"The run has no '{Calibration}' request to compare with: every visit of loadtest/shopper-mix.yml must start with it.");
            return new Verdict([], problems, DescribeTotals(report));
        }

        var verdicts = new List<EndpointVerdict>();
        foreach (var endpoint in report.Endpoints.Values.OrderBy(e => e.Name == Calibration ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var ratio = endpoint.P95 / calibration.P95;
            double? baselineRatio = baseline.P95Ratios.TryGetValue(endpoint.Name, out var recorded) ? recorded : null;
            var verdict = new EndpointVerdict(endpoint, ratio, baselineRatio, Judge(endpoint, ratio, baselineRatio));
            verdicts.Add(verdict);
            if (!verdict.Regressed && !verdict.Outcome.StartsWith("ok", StringComparison.Ordinal))
            {
                problems.Add(verdict.Failure);
            }
        }
        foreach (var missing in baseline.P95Ratios.Keys.Where(name => !report.Endpoints.ContainsKey(name)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{missing}: in the baseline but not in the run (renamed or removed? 'loadtest/run.sh update-baseline' records the scenario as it is)");
        }

        var summary = new StringBuilder();
        summary.AppendLine(DescribeTotals(report));
        foreach (var verdict in verdicts)
        {
            summary.AppendLine(Describe(verdict));
        }
        return new Verdict(verdicts, problems, summary.ToString().TrimEnd());
    }

    private static string Judge(EndpointLatency endpoint, double ratio, double? baselineRatio)
    {
        if (endpoint.Name == Calibration)
        {
            return "ok (the yardstick)";
        }
        if (NotGated.Contains(endpoint.Name))
        {
            return "ok (reported, not gated: a password hash per request, CPU-bound by design)";
        }
        if (endpoint.Count < MinimumSamples)
        {
            return $"too few samples ({endpoint.Count}, at least {MinimumSamples}) for a p95: raise the scenario's weight or the rate";
        }
        if (baselineRatio is not { } recorded)
        {
            return "not in the baseline: 'loadtest/run.sh update-baseline' records it";
        }
        var change = (int)Math.Round((ratio / recorded - 1) * 100);
        var signed = change > 0 ? $"+{change}%" : $"{change}%";
        // What the baseline's ratio allows at this run's calibration p95 (endpoint.P95 / ratio).
        var excessMs = ratio > 0 ? endpoint.P95 - endpoint.P95 / ratio * recorded : 0;
        return ratio > recorded * (1 + MaxRegression) + JitterAllowance && excessMs > MinimumRegressionMs
            ? string.Create(CultureInfo.InvariantCulture, $"{RegressedOutcome}: p95 is {ratio:0.00}x calibration, baseline {recorded:0.00}x ({signed}: more than +{MaxRegression:0%}, {JitterAllowance:0.#} calibration p95 and {MinimumRegressionMs:0} ms; {excessMs:0.0} ms over)")
            : $"ok ({signed} vs baseline)";
    }

    private static string Describe(EndpointVerdict verdict)
    {
        var (latency, baseline) = (verdict.Latency, verdict.BaselineRatio is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "-");
        return string.Create(CultureInfo.InvariantCulture,
            $"{latency.Name,-18} n={latency.Count,5}  p50 {latency.P50,7:0.0} ms  p95 {latency.P95,7:0.0} ms  ratio {verdict.Ratio,6:0.00}  baseline {baseline,6}  {verdict.Outcome}");
    }

    private static string DescribeTotals(LoadReport report)
    {
        var errors = report.Errors.Count > 0 ? $"; errors: {DescribeErrors(report)}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"requests {report.Requests}, failed {report.FailedRequests} ({report.ErrorRate:P2}); visits {report.VisitsCreated}, failed {report.VisitsFailed}{errors}");
    }

    private static string DescribeErrors(LoadReport report) =>
        string.Join(", ", report.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x {e.Value}"));
}
