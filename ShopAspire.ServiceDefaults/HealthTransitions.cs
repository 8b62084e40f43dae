using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Logs each readiness check's changes of state as /health observes them (the orchestrator probes
/// it every few seconds): a warning when a dependency goes Degraded or Unhealthy, naming it and
/// why, and a line when it is back. Nothing runs the checks a second time for this.
/// </summary>
public sealed partial class HealthTransitions
{
    private readonly ConcurrentDictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);
    private readonly ILogger<HealthTransitions> logger;

    public HealthTransitions(ILogger<HealthTransitions> logger, IMeterFactory meters)
    {
        this.logger = logger;
        // The last state of each dependency as a gauge, so a dashboard and an alert see "a
        // dependency is down" from the service's own point of view (0 healthy, 1 degraded, 2 unhealthy).
        meters.Create("Shop.Health").CreateObservableGauge("shop.health.status",
            () => _last.Select(kv => new Measurement<int>(Severity(kv.Value), new KeyValuePair<string, object?>("check", kv.Key))),
            "{state}", "Last state of each readiness check: 0 healthy, 1 degraded, 2 unhealthy.");
    }

    private static int Severity(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };

    public void Observe(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
        {
            var previous = _last.TryGetValue(name, out var known) ? known : (HealthStatus?)null;
            if (previous == entry.Status)
            {
                continue;
            }
            _last[name] = entry.Status;

            if (entry.Status == HealthStatus.Healthy)
            {
                if (previous is not null)
                {
                    LogRecovered(name, previous.Value);
                }
            }
            else if (previous is null && entry.Status == HealthStatus.Unhealthy)
            {
                // Start-up: checks such as "migrations not applied yet" begin unhealthy on purpose.
                LogNotHealthyYet(name, entry.Status, entry.Description ?? entry.Exception?.Message);
            }
            else
            {
                LogChanged(entry.Exception, name, entry.Status, entry.Status == HealthStatus.Degraded
                    ? "optional: the service keeps serving without it"
                    : "required: the service reports not ready",
                    entry.Description ?? entry.Exception?.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} is {Status} ({Meaning}): {Reason}")]
    private partial void LogChanged(Exception? exception, string check, HealthStatus status, string meaning, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is {Status} at start: {Reason}")]
    private partial void LogNotHealthyYet(string check, HealthStatus status, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is Healthy again (was {Previous}).")]
    private partial void LogRecovered(string check, HealthStatus previous);
}
