using System.Collections.Concurrent;

namespace ShopAspire.Hosting;

/// <summary>
/// The current state of every resource, and a way to wait for one (Aspire's
/// ResourceNotificationService, as tests and WaitFor use it).
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<ResourceSnapshot, ResourceSnapshot?>? StateChanged;

    public IReadOnlyCollection<ResourceSnapshot> Snapshots => _snapshots.Values.ToArray();

    public ResourceSnapshot Get(string name) =>
        _snapshots.TryGetValue(name, out var snapshot) ? snapshot : throw new ArgumentException($"No resource named '{name}'.", nameof(name));

    internal void Publish(ResourceSnapshot snapshot)
    {
        _snapshots.TryGetValue(snapshot.Name, out var previous);
        _snapshots[snapshot.Name] = snapshot;
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (previous is null || previous.State != snapshot.State)
        {
            StateChanged?.Invoke(snapshot, previous);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until the resource's snapshot satisfies <paramref name="predicate"/>.</summary>
    public async Task<ResourceSnapshot> WaitForResourceAsync(string name, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            var snapshot = Get(name);
            if (predicate(snapshot))
            {
                return snapshot;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    public Task<ResourceSnapshot> WaitForResourceAsync(string name, ResourceState state, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(name, s => s.State == state, cancellationToken);

    /// <summary>
    /// Waits until the resource is healthy. Unlike Aspire, which waits forever, it throws as soon as
    /// the resource exits or fails to start, so a test fails with the reason instead of timing out.
    /// </summary>
    public async Task<ResourceSnapshot> WaitForResourceHealthyAsync(string name, CancellationToken cancellationToken = default)
    {
        var snapshot = await WaitForResourceAsync(name, s => s.State == ResourceState.Healthy || s.IsTerminal, cancellationToken);
        if (snapshot.State != ResourceState.Healthy)
        {
            throw new DistributedApplicationException($"Resource '{name}' is {snapshot.State}: {snapshot.Message}");
        }
        return snapshot;
    }
}
