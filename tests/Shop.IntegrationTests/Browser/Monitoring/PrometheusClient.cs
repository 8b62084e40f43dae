using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.BrowserTests.Monitoring;

/// <summary>The stack's Prometheus over its HTTP API: instant queries and the alerts it evaluates.</summary>
public sealed class PrometheusClient(HttpClient http) : IDisposable
{
    public Uri BaseAddress => http.BaseAddress!;

    public sealed record Sample(IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Alert(string Name, string State, IReadOnlyDictionary<string, string> Labels);

    public async Task<IReadOnlyList<Sample>> QueryAsync(string expression)
    {
        var body = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(expression)}");
        return [.. body.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => new Sample(
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>The value of a query that yields one number, or null when it yields none.</summary>
    public async Task<double?> ScalarAsync(string expression) =>
        (await QueryAsync(expression)) is [var sample, ..] ? sample.Value : null;

    /// <summary>Alerts pending or firing now.</summary>
    public async Task<IReadOnlyList<Alert>> AlertsAsync()
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/alerts");
        return [.. body.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(a =>
        {
            var labels = a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            return new Alert(labels["alertname"], a.GetProperty("state").GetString()!, labels);
        })];
    }

    /// <summary>Names of the rules Prometheus loaded (alerts.yml).</summary>
    public async Task<IReadOnlyList<string>> AlertRuleNamesAsync()
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/rules?type=alert");
        return [.. body.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()!)];
    }

    public void Dispose() => http.Dispose();
}
