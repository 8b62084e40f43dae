using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Shop.Testing;

/// <summary>
/// The ids of each resource's instances (replicas) as Aspire's notifications name them, e.g.
/// <c>api-abcd1234</c>; a resource DCP does not run (a database) has its name as its only id.
/// Watched from before the start, so no instance is missed.
/// </summary>
public sealed class ResourceInstances : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _ids = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watcher;

    internal ResourceInstances(DistributedApplication app, Action<string> onNewInstance)
    {
        _watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in app.ResourceNotifications.WatchAsync(_stop.Token))
                {
                    if (update.Resource is ParameterResource)
                    {
                        continue;
                    }
                    var ids = _ids.GetOrAdd(update.Resource.Name, _ => new(StringComparer.Ordinal));
                    if (ids.TryAdd(update.ResourceId, 0))
                    {
                        onNewInstance(update.ResourceId);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public IReadOnlyList<string> Of(string resourceName) =>
        _ids.TryGetValue(resourceName, out var ids) && !ids.IsEmpty ? [.. ids.Keys.Order(StringComparer.Ordinal)] : [resourceName];

    /// <summary>
    /// The instance ids once <paramref name="instances"/> of them have reported a state (a replica
    /// reports its first state a moment after the other).
    /// </summary>
    public async Task<IReadOnlyList<string>> OfAsync(string resourceName, int instances, CancellationToken cancellationToken)
    {
        while (!_ids.TryGetValue(resourceName, out var ids) || ids.Count < instances)
        {
            await Task.Delay(50, cancellationToken);
        }
        return Of(resourceName);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}

public static class InstanceWaits
{
    /// <summary>
    /// Aspire's WaitForResourceHealthyAsync matches a resource by name, so with replicas it returns
    /// when the first one is healthy; this waits for one given instance.
    /// </summary>
    public static Task<ResourceEvent> WaitForHealthyInstanceAsync(this ResourceNotificationService notifications, string resourceName, string instanceId, CancellationToken cancellationToken) =>
        notifications.WaitForResourceAsync(resourceName, e =>
            e.ResourceId == instanceId &&
            e.Snapshot.State?.Text == KnownResourceStates.Running &&
            e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, cancellationToken);
}
