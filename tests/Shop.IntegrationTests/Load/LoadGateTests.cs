namespace Shop.IntegrationTests.Load;

/// <summary>
/// The gate's judgement on hand-made Artillery reports: an endpoint made slower fails it, a
/// whole machine made slower does not, errors do, and its baseline round-trips.
/// </summary>
public sealed class LoadGateTests
{
    private static readonly LoadBaseline Baseline = new(new Dictionary<string, double>
    {
        ["calibration"] = 1.0,
        ["catalog page"] = 3.0,
        ["checkout"] = 20.0,
    });

    [Fact]
    public void A_run_like_the_baseline_passes()
    {
        var verdict = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 80), Baseline);

        Assert.True(verdict.Passed, string.Join("\n", verdict.Failures));
    }

    [Fact]
    public void One_endpoint_slowed_by_half_fails_and_is_named()
    {
        var verdict = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 120), Baseline);

        var failure = Assert.Single(verdict.Failures);
        Assert.StartsWith("checkout: REGRESSED", failure, StringComparison.Ordinal);
        Assert.Contains("+50%", failure, StringComparison.Ordinal);
        Assert.True(verdict.Endpoints.Single(e => e.Latency.Name == "checkout").Regressed);
    }

    [Fact]
    public void An_endpoint_within_twenty_percent_of_its_baseline_passes()
    {
        var verdict = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 95), Baseline);

        Assert.True(verdict.Passed, string.Join("\n", verdict.Failures));
    }

    [Fact]
    public void A_cheap_endpoint_within_one_calibration_p95_of_its_baseline_passes()
    {
        // Baseline 3.0x; 4.5x is +50% but only 1.5 calibration p95s: jitter, not a verdict.
        var jittery = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 18, checkoutP95: 80), Baseline);
        var slower = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 24, checkoutP95: 80), Baseline);

        Assert.True(jittery.Passed, string.Join("\n", jittery.Failures));
        Assert.StartsWith("catalog page: REGRESSED", Assert.Single(slower.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_milliseconds_over_is_jitter_even_far_above_the_ratio()
    {
        // Baseline 3.0x at a 2 ms calibration p95 is 6 ms; 15 ms is 7.5x but only 9 ms over.
        var jittery = LoadGate.Judge(Report(calibrationP95: 2, catalogP95: 15, checkoutP95: 40), Baseline);
        var slower = LoadGate.Judge(Report(calibrationP95: 2, catalogP95: 17, checkoutP95: 40), Baseline);

        Assert.True(jittery.Passed, string.Join("\n", jittery.Failures));
        Assert.StartsWith("catalog page: REGRESSED", Assert.Single(slower.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_in_ratios_are_reported_but_not_gated()
    {
        var run = Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 80);
        var withSignIn = run with { Endpoints = new Dictionary<string, EndpointLatency>(run.Endpoints) { ["sign-in"] = new("sign-in", 60, 200, 400) } };
        var baseline = new LoadBaseline(new Dictionary<string, double>(Baseline.P95Ratios) { ["sign-in"] = 20.0 });

        var verdict = LoadGate.Judge(withSignIn, baseline); // 100x against a 20x baseline

        Assert.True(verdict.Passed, string.Join("\n", verdict.Failures));
        Assert.Contains("not gated", verdict.Endpoints.Single(e => e.Latency.Name == "sign-in").Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_three_times_slower_moves_the_calibration_too_and_passes()
    {
        var verdict = LoadGate.Judge(Report(calibrationP95: 12, catalogP95: 36, checkoutP95: 240), Baseline);

        Assert.True(verdict.Passed, string.Join("\n", verdict.Failures));
    }

    [Fact]
    public void A_regression_fails_the_gate_only_when_every_run_shows_it()
    {
        var slowCheckout = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 120), Baseline);
        var slowCatalog = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 24, checkoutP95: 80), Baseline);
        var slowBoth = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 24, checkoutP95: 120), Baseline);

        Assert.True(slowCheckout.OnlyRegressed);
        // A burst on the machine made one run's catalog pages slow, another's checkouts: no verdict.
        Assert.Empty(LoadGate.Confirmed([slowCheckout, slowCatalog]));
        // A slower checkout is slower every time.
        var failure = Assert.Single(LoadGate.Confirmed([slowCheckout, slowBoth, slowCheckout]));
        Assert.StartsWith("checkout: REGRESSED", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_not_regressions_and_fail_the_run_they_happen_in()
    {
        var erring = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 120, errors: 50), Baseline);

        Assert.False(erring.OnlyRegressed);
        Assert.Equal(2, LoadGate.Confirmed([erring]).Count);
    }

    [Fact]
    public void More_than_one_percent_failed_requests_fails()
    {
        var verdict = LoadGate.Judge(Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 80, requests: 1000, errors: 11), Baseline);

        var failure = Assert.Single(verdict.Failures);
        Assert.StartsWith("11 of 1000 requests failed", failure, StringComparison.Ordinal);
        Assert.Contains("Failed expectations for request checkout x 11", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_its_calibration_or_a_baseline_endpoint_fails()
    {
        var report = Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 80);
        var withoutCheckout = report with { Endpoints = report.Endpoints.Where(e => e.Key != "checkout").ToDictionary() };
        var withoutCalibration = report with { Endpoints = report.Endpoints.Where(e => e.Key != "calibration").ToDictionary() };

        Assert.Contains(LoadGate.Judge(withoutCheckout, Baseline).Failures, f => f.StartsWith("checkout: in the baseline but not in the run", StringComparison.Ordinal));
        Assert.Contains(LoadGate.Judge(withoutCalibration, Baseline).Failures, f => f.Contains("no 'calibration' request", StringComparison.Ordinal));
    }

    [Fact]
    public void An_endpoint_with_too_few_samples_is_not_judged_and_says_so()
    {
        var report = Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 80);
        var sparse = report with { Endpoints = new Dictionary<string, EndpointLatency>(report.Endpoints) { ["checkout"] = new("checkout", 5, 50, 80) } };

        Assert.Contains(LoadGate.Judge(sparse, Baseline).Failures, f => f.StartsWith("checkout: too few samples (5", StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_parser_reads_artillerys_counters_and_per_endpoint_summaries()
    {
        const string json = """
            {
              "aggregate": {
                "counters": {
                  "vusers.created": 320, "vusers.failed": 2, "vusers.completed": 318, "http.requests": 2000,
                  "http.codes.200": 1990, "http.codes.500": 2, "errors.ETIMEDOUT": 1,
                  "errors.Failed expectations for request checkout": 2
                },
                "summaries": {
                  "http.response_time": { "min": 1, "max": 900, "count": 1998, "p50": 6.1, "p95": 70.2 },
                  "plugins.metrics-by-endpoint.response_time.calibration": { "min": 1, "max": 30, "count": 320, "p50": 1.9, "p95": 4.1 },
                  "plugins.metrics-by-endpoint.response_time.catalog page": { "min": 2, "max": 90, "count": 410, "p50": 5.2, "p95": 13.3 }
                }
              },
              "intermediate": []
            }
            """;

        var report = LoadReport.Parse(json);

        Assert.Equal(2000, report.Requests);
        Assert.Equal(3, report.FailedRequests);
        Assert.Equal(0.0015, report.ErrorRate, 6);
        Assert.Equal((320, 2), (report.VisitsCreated, report.VisitsFailed));
        Assert.Equal(new EndpointLatency("catalog page", 410, 5.2, 13.3), report.Endpoints["catalog page"]);
        Assert.Equal(2, report.Endpoints.Count);
    }

    [Fact]
    public void A_baseline_written_from_runs_keeps_each_endpoints_highest_ratio()
    {
        var quiet = Report(calibrationP95: 4, catalogP95: 12, checkoutP95: 81);
        var busy = Report(calibrationP95: 40, catalogP95: 80, checkoutP95: 400);
        var path = Path.Combine(Path.GetTempPath(), $"shopaspire-baseline-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, LoadBaseline.Describe([quiet, busy], LoadGate.Calibration, DateTimeOffset.UnixEpoch));
        try
        {
            var baseline = LoadBaseline.Read(path);

            Assert.Equal(1.0, baseline.P95Ratios["calibration"]);
            Assert.Equal(3.0, baseline.P95Ratios["catalog page"]);
            Assert.Equal(20.25, baseline.P95Ratios["checkout"]);
            Assert.True(LoadGate.Judge(quiet, baseline).Passed);
            Assert.True(LoadGate.Judge(busy, baseline).Passed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static LoadReport Report(double calibrationP95, double catalogP95, double checkoutP95, long requests = 1000, long errors = 0) =>
        new(
            new Dictionary<string, EndpointLatency>
            {
                ["calibration"] = new("calibration", 300, calibrationP95 / 2, calibrationP95),
                ["catalog page"] = new("catalog page", 400, catalogP95 / 2, catalogP95),
                ["checkout"] = new("checkout", 60, checkoutP95 / 2, checkoutP95),
            },
            requests,
            errors == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { ["Failed expectations for request checkout"] = errors },
            VisitsCreated: 300,
            VisitsFailed: errors);
}
