using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ShopAspire.AppHost;

/// <summary>
/// Prints, once every resource is running and healthy, one line per resource with its state and
/// URLs, and the dashboard's address: what a terminal user wants after `dotnet run`. The dashboard
/// shows the same live; this is the table to copy a URL from.
/// </summary>
internal sealed class ResourceTable(
    ResourceNotificationService notifications,
    DistributedApplicationModel model,
    DistributedApplicationExecutionContext executionContext,
    IConfiguration configuration) : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!executionContext.IsRunMode)
        {
            return;
        }
        var started = DateTime.UtcNow;
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        try
        {
            var nextReport = DateTime.UtcNow + ReportEvery;
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                latest[update.ResourceId] = update;
                if (AllReady(latest))
                {
                    Console.Out.Write(Render(latest.Values, DateTime.UtcNow - started));
                    return;
                }
                if (DateTime.UtcNow > nextReport)
                {
                    // A resource that never gets healthy should not leave the terminal silent.
                    Console.Out.WriteLine($"Still waiting for: {string.Join(", ", Pending(latest))}");
                    nextReport = DateTime.UtcNow + ReportEvery;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private bool AllReady(Dictionary<string, ResourceEvent> latest) => Pending(latest).Count == 0;

    /// <summary>Resources (by instance) not yet running and healthy; hidden ones (the dashboard itself) do not count.</summary>
    private List<string> Pending(Dictionary<string, ResourceEvent> latest)
    {
        var visible = latest.Values.Where(e => e.Resource is not ParameterResource && !e.Snapshot.IsHidden).ToList();
        var unseen = model.Resources
            .Where(r => r is not ParameterResource && !visible.Any(e => e.Resource == r) && !latest.Values.Any(e => e.Resource == r && e.Snapshot.IsHidden))
            .Select(r => $"{r.Name} (no state yet)");
        var notReady = visible
            .Where(e => e.Snapshot.State?.Text != KnownResourceStates.Running ||
                        e.Snapshot.HealthStatus is not (null or Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy))
            .Select(e => $"{e.ResourceId} ({e.Snapshot.State?.Text}, {e.Snapshot.HealthStatus})");
        return [.. unseen, .. notReady];
    }

    private string Render(IEnumerable<ResourceEvent> resources, TimeSpan elapsed)
    {
        // One line per resource; replicas share the address of the proxy in front of them.
        var rows = resources
            .Where(e => e.Resource is not ParameterResource && !e.Snapshot.IsHidden)
            .GroupBy(e => e.Resource.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (
                Name: g.Count() > 1 ? $"{g.Key} (x{g.Count()})" : g.Key,
                State: g.First().Snapshot.State?.Text ?? "",
                Urls: string.Join("  ", g.SelectMany(e => e.Snapshot.Urls).Where(u => !u.IsInternal).Select(u => u.Url).Distinct(StringComparer.Ordinal))))
            .ToList();
        var width = rows.Max(r => r.Name.Length) + 2;
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"All {rows.Count} resources healthy in {elapsed.TotalSeconds:0.0} s.");
        foreach (var (name, state, urls) in rows)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {name.PadRight(width)}{state,-10}{urls}");
        }
        if (DashboardLoginUrl() is { } dashboard)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Dashboard (traces, metrics, logs): {dashboard}");
        }
        text.AppendLine("Storefront admin: admin@shopaspire.local, password: parameter admin-password (dashboard > Parameters, or dotnet user-secrets list --project ShopAspire.AppHost).");
        return text.AppendLine("Ctrl+C stops everything.").ToString();
    }

    private string? DashboardLoginUrl()
    {
        // The dashboard's own endpoint once allocated: under the testing builder (random ports)
        // it differs from the configured ASPNETCORE_URLS.
        var dashboard = model.Resources.OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == "aspire-dashboard")?.GetEndpoint("http");
        var url = dashboard is { Exists: true, IsAllocated: true } ? dashboard.Url : configuration["ASPNETCORE_URLS"]?.Split(';').FirstOrDefault();
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }
        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url.TrimEnd('/')}/login?t={token}" : url;
    }
}

internal static class ResourceTableExtensions
{
    public static IDistributedApplicationBuilder AddResourceTable(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ResourceTable>();
        return builder;
    }
}
