using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShopAspire.AppHost.Monitoring;

internal sealed record ScrapeTargetsOptions(string Folder, IReadOnlyList<string> Resources);

/// <summary>
/// Keeps Prometheus's file-discovered targets equal to the running instances of each scraped
/// project. Written by hand because nothing else knows the replicas' own ports: DCP gives every
/// replica its port (ASPNETCORE_URLS in its environment) behind one proxied address, and scraping
/// that address would sample a different replica each time and mix their counters.
/// </summary>
internal sealed partial class ScrapeTargetsWriter(
    ResourceNotificationService notifications, ScrapeTargetsOptions options, ILogger<ScrapeTargetsWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = options.Resources.ToDictionary(r => r, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (!running.TryGetValue(update.Resource.Name, out var instances))
                {
                    continue;
                }
                var address = update.Snapshot.State?.Text == KnownResourceStates.Running ? AddressOf(update.Snapshot) : null;
                var changed = address is null
                    ? instances.Remove(update.ResourceId)
                    : !instances.TryGetValue(update.ResourceId, out var known) || known != address;
                if (address is not null)
                {
                    instances[update.ResourceId] = address;
                }
                if (changed)
                {
                    Write(update.Resource.Name, instances);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>host:port of an instance's own HTTP listener, from the environment DCP started it with.</summary>
    internal static string? AddressOf(CustomResourceSnapshot snapshot)
    {
        var urls = snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value;
        var http = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        return http is not null && Uri.TryCreate(http, UriKind.Absolute, out var uri) && uri.Port > 0
            ? $"{(uri.Host is "localhost" or "+" or "*" or "0.0.0.0" ? "127.0.0.1" : uri.Host)}:{uri.Port}"
            : null;
    }

    private void Write(string resource, Dictionary<string, string> instances)
    {
        var groups = instances.Select(i => new
        {
            targets = new[] { i.Value },
            labels = new Dictionary<string, string> { ["job"] = resource, ["instance"] = i.Key },
        });
        var path = Path.Combine(options.Folder, $"{resource}.json");
        // Prometheus may read the file at any moment: write a new one and move it over the old.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(groups));
        File.Move(temporary, path, overwrite: true);
        LogTargets(resource, string.Join(", ", instances.Select(i => $"{i.Key}={i.Value}")));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prometheus targets of {Resource}: {Targets}")]
    private partial void LogTargets(string resource, string targets);
}
