using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// loadtest/baseline.json: each request name's p95 as a multiple of the calibration request's
/// p95 in the same run (a ratio survives a slower or busier machine; milliseconds do not), from
/// the runs that <c>loadtest/run.sh update-baseline</c> made. The milliseconds beside the ratios
/// are kept for the reader only.
/// </summary>
public sealed record LoadBaseline(IReadOnlyDictionary<string, double> P95Ratios)
{
    /// <summary>
    /// Short runs a baseline is recorded from. Five, because a p95 of ~60 samples moves a lot
    /// between runs of an unchanged stack (sign-up 17-33x calibration, checkout 6-12x here, the
    /// most where the machine is quietest): the highest of five is what a normal run stays under.
    /// </summary>
    public const int Runs = 5;

    public static string FilePath => Path.Combine(Artillery.LoadTestFolder, "baseline.json");

    public static LoadBaseline Read(string path)
    {
        var endpoints = JsonNode.Parse(File.ReadAllText(path))!["endpoints"]!.AsObject();
        return new LoadBaseline(endpoints.ToDictionary(e => e.Key, e => e.Value!["p95Ratio"]!.GetValue<double>(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The baseline file's text for <paramref name="runs"/> of the short scenario, whose
    /// calibration request is <paramref name="calibration"/>: each request name's highest ratio
    /// of those runs (every ratio kept beside it), so the gate fails only on what is slower than
    /// anything the recording machine's noise showed.
    /// </summary>
    public static string Describe(IReadOnlyList<LoadReport> runs, string calibration, DateTimeOffset recordedAt)
    {
        var endpoints = new List<string>();
        foreach (var name in runs.SelectMany(r => r.Endpoints.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var measured = runs.Where(r => r.Endpoints.ContainsKey(name)).Select(r => (Latency: r.Endpoints[name], Calibration: r.Endpoints[calibration])).ToList();
            var ratios = measured.Select(m => Math.Round(m.Latency.P95 / m.Calibration.P95, 3)).ToList();
            var endpoint = new JsonObject
            {
                ["p95Ratio"] = ratios.Max(),
                ["p95Ratios"] = Array(ratios),
                ["p95Ms"] = Array(measured.Select(m => m.Latency.P95)),
                ["p50Ms"] = Array(measured.Select(m => m.Latency.P50)),
                ["count"] = Array(measured.Select(m => (double)m.Latency.Count)),
            };
            endpoints.Add($"    {Json(name)}: {endpoint.ToJsonString(Compact)}");
        }
        var about = "p95 of each request name of loadtest/shopper-mix.yml (-e short) as a multiple of the p95 of '" + calibration
            + "' (GET /alive) in the same run, the highest of the runs listed; the load gate fails on a ratio more than 20% above it. "
            + "Written by 'loadtest/run.sh update-baseline'; the milliseconds and counts are for the reader.";
        // One line per request name: a new baseline's diff shows which ratios moved.
        return $$"""
            {
              "about": {{Json(about)}},
              "recordedAt": {{Json(recordedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))}},
              "errorRates": {{Array(runs.Select(r => Math.Round(r.ErrorRate, 4))).ToJsonString(Compact)}},
              "endpoints": {
            {{string.Join(",\n", endpoints)}}
              }
            }

            """;
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string text) => JsonSerializer.Serialize(text, Compact);

    private static JsonArray Array(IEnumerable<double> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
