using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The body of /health. Plain text by default: the overall status on the first line (exactly
/// "Healthy" when all is well, as probes and curl expect), then one line per check that is not
/// healthy, so a human sees which dependency makes the service Degraded or Unhealthy. With
/// <c>Accept: application/json</c>, every check with its status, description and duration.
/// </summary>
/// <remarks>
/// Names, statuses and our own checks' descriptions only: exception messages (host names, ports)
/// go to the logs, never to this unauthenticated endpoint (a failed check shows its exception's
/// type). Each report also goes to <see cref="HealthTransitions"/>, which logs when a check changes state: the structured logs
/// in the Aspire dashboard then say which dependency is down, while the resource itself stays
/// "Healthy" there (Aspire's HTTP health check only looks at the 200).
/// </remarks>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.RequestServices.GetService<HealthTransitions>()?.Observe(report);

        return WantsJson(context.Request)
            ? WriteJsonAsync(context, report)
            : WriteTextAsync(context, report);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept =>
            accept.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    private static Task WriteTextAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append(": ").Append(entry.Status.ToString());
            if (SafeDescription(entry) is { } description)
            {
                text.Append(" - ").Append(description);
            }
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }

    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            if (SafeDescription(entry) is { } description)
            {
                json.WriteString("description", description);
            }
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(tag);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// A check that failed with an exception (Xabaril's checks put its message, with host and
    /// port, in the description) is told by the exception's type; our own descriptions as written.
    /// </summary>
    private static string? SafeDescription(HealthReportEntry entry) =>
        entry.Exception is OperationCanceledException ? "timed out"
        : entry.Exception is { } exception ? exception.GetType().Name
        : string.IsNullOrEmpty(entry.Description) ? null
        : entry.Description;
}
