using System.Text.Json;

namespace Shop.IntegrationTests.Load;

/// <summary>One request name's latencies in a run, in milliseconds.</summary>
public sealed record EndpointLatency(string Name, long Count, double P50, double P95);

/// <summary>
/// What the gate reads from an Artillery JSON report (<c>--output</c>): the whole run's counters
/// and the per-request-name latency summaries of the metrics-by-endpoint plugin
/// (loadtest/shopper-mix.yml names every request).
/// </summary>
public sealed record LoadReport(
    IReadOnlyDictionary<string, EndpointLatency> Endpoints,
    long Requests,
    IReadOnlyDictionary<string, long> Errors,
    long VisitsCreated,
    long VisitsFailed)
{
    private const string EndpointPrefix = "plugins.metrics-by-endpoint.response_time.";

    /// <summary>Requests that got no response or an unexpected status (expectations fail as errors).</summary>
    public long FailedRequests => Errors.Values.Sum();

    public double ErrorRate => Requests == 0 ? 0 : (double)FailedRequests / Requests;

    public static LoadReport Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var aggregate = document.RootElement.GetProperty("aggregate");
        var counters = aggregate.GetProperty("counters").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt64(), StringComparer.Ordinal);
        var endpoints = new Dictionary<string, EndpointLatency>(StringComparer.Ordinal);
        foreach (var summary in aggregate.GetProperty("summaries").EnumerateObject().Where(s => s.Name.StartsWith(EndpointPrefix, StringComparison.Ordinal)))
        {
            var name = summary.Name[EndpointPrefix.Length..];
            endpoints[name] = new EndpointLatency(
                name,
                summary.Value.GetProperty("count").GetInt64(),
                summary.Value.GetProperty("p50").GetDouble(),
                summary.Value.GetProperty("p95").GetDouble());
        }
        return new LoadReport(
            endpoints,
            counters.GetValueOrDefault("http.requests"),
            counters.Where(c => c.Key.StartsWith("errors.", StringComparison.Ordinal)).ToDictionary(c => c.Key["errors.".Length..], c => c.Value, StringComparer.Ordinal),
            counters.GetValueOrDefault("vusers.created"),
            counters.GetValueOrDefault("vusers.failed"));
    }

    public static LoadReport Read(string path) => Parse(File.ReadAllText(path));
}
