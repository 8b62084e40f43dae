using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>
/// Starts every resource as soon as what it waits for is healthy (RabbitMQ, the slowest, starts
/// at once beside the others), follows its health and process, and stops everything in reverse
/// dependency order.
/// </summary>
internal sealed class Orchestrator(IReadOnlyList<IResource> resources, RunContext context, ResourceNotificationService notifications, TextWriter output)
    : IAsyncDisposable
{
    private static readonly TimeSpan FirstProbeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SteadyProbeInterval = TimeSpan.FromSeconds(5);
    private readonly Dictionary<IResource, IResourceRunner> _runners = [];
    private readonly List<Task> _lifecycles = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<IResource, (CancellationTokenSource Stop, Task Lifecycle)> _current = [];
    private readonly SemaphoreSlim _control = new(1, 1);
    private int _stopped;

    public IResourceRunner RunnerOf(IResource resource) => _runners[resource];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ordered = DependencyGraph.StartOrder(resources);
        var runnable = ordered.OfType<IRunnableResource>().ToArray();
        await new ServerPackages(output).EnsureInstalledAsync(runnable.SelectMany(r => r.RequiredPackages), cancellationToken);

        // Every runner allocates its ports and passwords first, so each project's environment
        // (connection strings, service discovery) is complete before anything starts.
        foreach (var resource in runnable)
        {
            _runners[resource] = resource.CreateRunner(context);
            Publish(resource, ResourceState.NotStarted);
        }
        foreach (var resource in runnable)
        {
            Launch(resource);
        }
    }

    /// <summary>Runs one life of the resource: wait for its dependencies, start it, follow it.</summary>
    private void Launch(IRunnableResource resource)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var lifecycle = Task.Run(() => RunAsync(resource, stop.Token), CancellationToken.None);
        lock (_lifecycles)
        {
            _lifecycles.Add(lifecycle);
            _current[resource] = (stop, lifecycle);
        }
    }

    private IRunnableResource Find(string name) =>
        resources.OfType<IRunnableResource>().FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No runnable resource named '{name}'.", nameof(name));

    /// <summary>
    /// Stops one resource gracefully (as on Ctrl+C) and leaves it Finished; its ports, passwords
    /// and data stay, so <see cref="StartResourceAsync"/> brings it back as it was. Resources that
    /// use it keep running and see it go away, as they would in production.
    /// </summary>
    public async Task StopResourceAsync(string name, CancellationToken cancellationToken)
    {
        var resource = Find(name);
        await _control.WaitAsync(cancellationToken);
        try
        {
            await EndLifecycleAsync(resource);
            await _runners[resource].StopAsync(cancellationToken);
            var snapshot = notifications.Get(resource.Name);
            notifications.Publish(snapshot with { State = ResourceState.Finished, Message = "stopped", ExitCode = null });
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Starts a stopped, exited or killed resource again, on the same ports with the same data.</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken)
    {
        var resource = Find(name);
        await _control.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            var state = notifications.Get(resource.Name).State;
            if (state is not (ResourceState.Finished or ResourceState.Exited or ResourceState.FailedToStart))
            {
                throw new InvalidOperationException($"Resource '{name}' is {state}; stop it before starting it again.");
            }
            await EndLifecycleAsync(resource);
            // Published before the new life begins, so a caller that waits for Healthy right after
            // this returns does not see the old terminal state and give up.
            Publish(resource, ResourceState.Starting, "restarting");
            Launch(resource);
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>
    /// Kills the resource's process with SIGKILL, as a crash or the OOM killer would: no chance to
    /// finish anything. The resource is reported Exited; start it again with StartResourceAsync.
    /// </summary>
    public async Task KillResourceAsync(string name, CancellationToken cancellationToken)
    {
        var resource = Find(name);
        var runner = _runners[resource];
        var pid = runner.ProcessId ?? throw new InvalidOperationException($"Resource '{name}' has no process to kill.");
        if (runner.Exited.IsCompleted)
        {
            throw new InvalidOperationException($"Resource '{name}' is not running.");
        }
        Processes.UnixProcess.Signal(pid, Processes.UnixProcess.SigKill);
        await runner.Exited.WaitAsync(cancellationToken);
        await notifications.WaitForResourceAsync(resource.Name, s => s.IsTerminal, cancellationToken);
    }

    private async Task EndLifecycleAsync(IRunnableResource resource)
    {
        (CancellationTokenSource Stop, Task Lifecycle) current;
        lock (_lifecycles)
        {
            current = _current[resource];
        }
        await current.Stop.CancelAsync();
        await current.Lifecycle;
    }

    private async Task RunAsync(IRunnableResource resource, CancellationToken stopping)
    {
        var runner = _runners[resource];
        try
        {
            foreach (var (dependency, waitType) in DependencyGraph.WaitsOf(resource))
            {
                Publish(resource, ResourceState.Waiting, $"waiting for {dependency.Name}");
                var reached = await notifications.WaitForResourceAsync(dependency.Name, s => Satisfies(s, waitType) || s.IsTerminal, stopping);
                if (!Satisfies(reached, waitType))
                {
                    Publish(resource, ResourceState.FailedToStart, $"dependency '{dependency.Name}' is {reached.State}");
                    return;
                }
            }

            Publish(resource, ResourceState.Starting);
            await runner.StartAsync(stopping);
            Publish(resource, ResourceState.Running);
            await FollowAsync(resource, runner, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            var tail = context.LogFor(resource.Name).Tail(20);
            Publish(resource, ResourceState.FailedToStart, $"{e.Message}{(tail.Count > 0 ? "\n" + string.Join('\n', tail) : "")}");
        }
    }

    private static bool Satisfies(ResourceSnapshot snapshot, WaitType waitType) => waitType switch
    {
        WaitType.WaitUntilHealthy => snapshot.State == ResourceState.Healthy,
        WaitType.WaitUntilCompleted => snapshot.State == ResourceState.Finished,
        _ => false,
    };

    /// <summary>Probes health until the process exits or the app stops; reports every change.</summary>
    private async Task FollowAsync(IRunnableResource resource, IResourceRunner runner, CancellationToken stopping)
    {
        var startedAt = DateTime.UtcNow;
        var everHealthy = false;
        while (!stopping.IsCancellationRequested)
        {
            var healthy = await runner.IsHealthyAsync(stopping);
            var current = notifications.Get(resource.Name).State;
            if (healthy && current != ResourceState.Healthy)
            {
                everHealthy = true;
                Publish(resource, ResourceState.Healthy);
            }
            else if (!healthy && everHealthy && current == ResourceState.Healthy)
            {
                Publish(resource, ResourceState.Unhealthy, "health check failing");
            }
            else if (!healthy && !everHealthy && DateTime.UtcNow - startedAt > context.Options.StartupTimeout)
            {
                Publish(resource, ResourceState.Unhealthy, $"not healthy after {context.Options.StartupTimeout.TotalSeconds:0} s");
            }

            var interval = everHealthy ? SteadyProbeInterval : FirstProbeInterval;
            var delay = Task.Delay(interval, stopping);
            if (await Task.WhenAny(runner.Exited, delay) == runner.Exited)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }
                var code = await runner.Exited;
                var tail = context.LogFor(resource.Name).Tail(20);
                var state = code == 0 && !everHealthy ? ResourceState.Finished : ResourceState.Exited;
                Publish(resource, state, $"exit code {code}" + (tail.Count > 0 ? "; last lines:\n    " + string.Join("\n    ", tail) : ""), code);
                return;
            }
            await delay;
        }
    }

    private void Publish(IResource resource, ResourceState state, string? message = null, int? exitCode = null)
    {
        var runnable = (IRunnableResource)resource;
        _runners.TryGetValue(resource, out var runner);
        notifications.Publish(new ResourceSnapshot(resource.Name, runnable.TypeName, state, runner?.Urls ?? [], exitCode, message, runner?.ProcessId));
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var wave in DependencyGraph.StopWaves(resources))
        {
            await Task.WhenAll(wave.Where(_runners.ContainsKey).Select(async resource =>
            {
                try
                {
                    await _runners[resource].StopAsync(CancellationToken.None);
                }
                finally
                {
                    var snapshot = notifications.Get(resource.Name);
                    notifications.Publish(snapshot with { State = ResourceState.Finished, Message = "stopped" });
                }
            }));
        }
        Task[] lifecycles;
        lock (_lifecycles)
        {
            lifecycles = [.. _lifecycles];
        }
        await Task.WhenAll(lifecycles);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var runner in _runners.Values)
        {
            await runner.DisposeAsync();
        }
        lock (_lifecycles)
        {
            foreach (var (stop, _) in _current.Values)
            {
                stop.Dispose();
            }
        }
        _stopping.Dispose();
        _control.Dispose();
    }
}
