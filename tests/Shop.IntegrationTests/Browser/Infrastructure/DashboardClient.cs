using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// The Aspire dashboard the AppHost started beside the shop (ShopApp with withDashboard): its
/// address (a random port, like every proxied endpoint under the testing builder), the browser
/// token that logs a browser in, and its telemetry API (/api/telemetry/*, OTLP JSON), which
/// takes the API key in the x-api-key header. Both secrets are the ones the AppHost generated
/// and handed to the dashboard: AppHost:BrowserToken and AppHost:DashboardApiKey.
/// </summary>
public sealed class DashboardClient : IDisposable
{
    public const string ResourceName = "aspire-dashboard";

    private readonly HttpClient _api;

    public DashboardClient(ShopApp shop)
    {
        BaseAddress = shop.App.GetEndpoint(ResourceName, "http");
        var configuration = shop.App.Services.GetRequiredService<IConfiguration>();
        BrowserToken = configuration["AppHost:BrowserToken"];
        ApiKey = configuration["AppHost:DashboardApiKey"];
        _api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (ApiKey is not null)
        {
            _api.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        }
    }

    public Uri BaseAddress { get; }

    /// <summary>Null when the dashboard runs unsecured (then the login page is not needed).</summary>
    public string? BrowserToken { get; }

    public string? ApiKey { get; }

    /// <summary>The URL that logs a browser in and then shows <paramref name="returnPath"/>.</summary>
    public string LoginUrl(string returnPath) => BrowserToken is null
        ? new Uri(BaseAddress, returnPath).ToString()
        : new Uri(BaseAddress, $"/login?t={Uri.EscapeDataString(BrowserToken)}&returnUrl={Uri.EscapeDataString(returnPath)}").ToString();

    public static string TracePath(string traceId) => $"/traces/detail/{Uri.EscapeDataString(traceId)}";

    /// <summary>GET on the telemetry API; null on 404 (no such resource or trace yet).</summary>
    public async Task<JsonElement?> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await _api.GetAsync(pathAndQuery, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {pathAndQuery} on the dashboard: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Spans from /api/telemetry/spans or /traces (OTLP JSON), flattened; empty on 404.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> SpansAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        await GetAsync(pathAndQuery, cancellationToken) is { } response ? TelemetrySpan.Parse(response) : [];

    /// <summary>Every span the dashboard holds of one trace; empty until it has any.</summary>
    public Task<IReadOnlyList<TelemetrySpan>> TraceAsync(string traceId, CancellationToken cancellationToken = default) =>
        SpansAsync($"/api/telemetry/traces/{Uri.EscapeDataString(traceId)}", cancellationToken);

    /// <summary>The resources that sent telemetry, one entry per instance (replica).</summary>
    public async Task<IReadOnlyList<TelemetryResource>> ResourcesAsync(CancellationToken cancellationToken = default) =>
        await GetAsync("/api/telemetry/resources", cancellationToken) is { ValueKind: JsonValueKind.Array } resources
            ? [.. resources.EnumerateArray().Select(r => new TelemetryResource(
                r.GetProperty("name").GetString()!,
                r.TryGetProperty("displayName", out var display) ? display.GetString()! : r.GetProperty("name").GetString()!,
                r.TryGetProperty("hasLogs", out var logs) && logs.GetBoolean(),
                r.TryGetProperty("hasTraces", out var traces) && traces.GetBoolean(),
                r.TryGetProperty("hasMetrics", out var metrics) && metrics.GetBoolean()))]
            : [];

    public void Dispose() => _api.Dispose();
}

/// <summary>An entry of /api/telemetry/resources: <paramref name="DisplayName"/> names the instance (api-abcd1234).</summary>
public sealed record TelemetryResource(string Name, string DisplayName, bool HasLogs, bool HasTraces, bool HasMetrics);

/// <summary>One span as the dashboard's telemetry API returns it, with its resource (service.name).</summary>
public sealed record TelemetrySpan(
    string Resource,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    TelemetrySpan.SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>OTLP's span kinds.</summary>
    public enum SpanKind
    {
        Unspecified = 0,
        Internal = 1,
        Server = 2,
        Client = 3,
        Producer = 4,
        Consumer = 5,
    }

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public override string ToString() => $"{Resource}: {Name} ({Kind}, {Scope})";

    /// <summary>Flattens the API's OTLP JSON (data.resourceSpans[].scopeSpans[].spans[]).</summary>
    public static IReadOnlyList<TelemetrySpan> Parse(JsonElement response)
    {
        var data = response.TryGetProperty("data", out var inner) ? inner : response;
        if (!data.TryGetProperty("resourceSpans", out var resourceSpans) || resourceSpans.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var spans = new List<TelemetrySpan>();
        foreach (var resourceSpan in resourceSpans.EnumerateArray())
        {
            var resourceAttributes = resourceSpan.TryGetProperty("resource", out var resource) ? ReadAttributes(resource) : new Dictionary<string, string>();
            var resourceName = resourceAttributes.GetValueOrDefault("service.name") ?? "?";
            foreach (var scopeSpan in Array(resourceSpan, "scopeSpans"))
            {
                var scope = scopeSpan.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in Array(scopeSpan, "spans"))
                {
                    spans.Add(new TelemetrySpan(
                        resourceName,
                        scope,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } parentId ? parentId : null,
                        span.GetProperty("name").GetString()!,
                        span.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.Number ? (SpanKind)kind.GetInt32() : SpanKind.Unspecified,
                        ReadAttributes(span)));
                }
            }
        }
        return spans;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static Dictionary<string, string> ReadAttributes(JsonElement element)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(element, "attributes"))
        {
            if (attribute.TryGetProperty("key", out var key) && attribute.TryGetProperty("value", out var value))
            {
                // {"stringValue": "..."}, {"intValue": "42"}, {"boolValue": true}...
                var typed = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().FirstOrDefault().Value : default;
                attributes[key.GetString()!] = typed.ValueKind switch
                {
                    JsonValueKind.String => typed.GetString()!,
                    JsonValueKind.Undefined => "",
                    _ => typed.GetRawText(),
                };
            }
        }
        return attributes;
    }
}
