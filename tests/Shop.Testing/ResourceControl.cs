using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Testing;

/// <summary>
/// Failure drills through Aspire itself: the dashboard's stop and start commands, and kill -9 of the
/// process whose id DCP reports in the resource's state. A command on a resource with replicas
/// acts on every replica, as it does in the dashboard.
/// </summary>
public sealed class ResourceControl(DistributedApplication app, ResourceInstances instances, ResourceLogs logs)
{
    private const string PidProperty = "executable.pid";

    // A hang guard, not a target: a .NET service takes ~5 s to be healthy again here, but 90 s was
    // seen on a CI machine whose load average stood above 100 (the process only started listening
    // after 85 s); the diagnostics on failure say whether it listened and answered.
    private static readonly TimeSpan RestartBudget = TimeSpan.FromMinutes(5);

    private ResourceCommandService Commands => app.Services.GetRequiredService<ResourceCommandService>();

    private IResource Find(string name) => app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    /// <summary>
    /// Stops (SIGTERM first, as DCP does) and waits until every instance has stopped. The command
    /// itself gives up waiting after ~15 s and reports a failure while DCP goes on stopping a
    /// service that is still draining; so the verdict is the state within <paramref name="within"/>.
    /// </summary>
    public async Task StopAsync(string name, TimeSpan? within = null)
    {
        var resource = Find(name);
        var result = await Commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand);
        try
        {
            await WaitForStateAsync(resource, KnownResourceStates.TerminalStates, within ?? TimeSpan.FromSeconds(90));
        }
        catch (OperationCanceledException e)
        {
            throw new InvalidOperationException($"'{name}' did not stop: {(result.Success ? "no terminal state" : result.Message)}", e);
        }
    }

    /// <summary>Starts again (the dashboard's start command) and waits until every instance is healthy.</summary>
    public async Task StartAsync(string name, TimeSpan? within = null)
    {
        var resource = Find(name);
        var result = await Commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting '{name}' failed: {result.Message}");
        }
        using var timeout = new CancellationTokenSource(within ?? RestartBudget);
        try
        {
            await Task.WhenAll(instances.Of(resource.Name).Select(id => app.ResourceNotifications.WaitForHealthyInstanceAsync(name, id, timeout.Token)));
        }
        catch (OperationCanceledException e)
        {
            throw new InvalidOperationException($"'{name}' did not become healthy after its start: {HealthOf(resource)}\n{await DiagnoseAsync(resource)}", e);
        }
    }

    /// <summary>Each instance's state and every check that is not Healthy, as DCP and the health checks last reported them.</summary>
    public string HealthOf(IResource resource) => string.Join("; ", instances.Of(resource.Name).Select(id =>
        app.ResourceNotifications.TryGetCurrentState(id, out var current)
            ? $"{id} {current.Snapshot.State?.Text} health={current.Snapshot.HealthStatus}" + string.Concat(current.Snapshot.HealthReports
                .Where(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                .Select(r => $", {r.Name}: {r.Status?.ToString() ?? "not checked yet"} {r.Description} {r.ExceptionText}".TrimEnd()))
            : $"{id} no state"));

    /// <summary>Per instance: its processes as seen from /proc (threads, listening ports, their own /health) and its last console lines.</summary>
    public async Task<string> DiagnoseAsync(IResource resource)
    {
        var lines = new List<string>();
        foreach (var id in instances.Of(resource.Name))
        {
            lines.Add($"--- {id}");
            lines.Add(ProcessIdOf(id) is { } pid ? await InstanceProbe.DescribeAsync(pid) : "no process id");
            lines.AddRange(logs.Tail(id, 25).Select(l => "    " + l));
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Stops one instance (replica) the way an orchestrator drains it: the stop command, so
    /// SIGTERM first; returns once DCP reports it stopped.
    /// </summary>
    public async Task StopInstanceAsync(string name, string instanceId, TimeSpan? within = null)
    {
        var result = await Commands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StopCommand);
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(90));
        try
        {
            await app.ResourceNotifications.WaitForResourceAsync(name,
                e => e.ResourceId == instanceId && e.Snapshot.State?.Text is { } text && KnownResourceStates.TerminalStates.Contains(text), timeout.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new InvalidOperationException($"'{instanceId}' did not stop: {(result.Success ? "no terminal state" : result.Message)}", e);
        }
    }

    /// <summary>Starts one stopped instance again and waits until it is healthy.</summary>
    public async Task StartInstanceAsync(string name, string instanceId, TimeSpan? within = null)
    {
        var result = await Commands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting '{instanceId}' failed: {result.Message}");
        }
        using var timeout = new CancellationTokenSource(within ?? RestartBudget);
        try
        {
            await app.ResourceNotifications.WaitForHealthyInstanceAsync(name, instanceId, timeout.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new InvalidOperationException($"'{instanceId}' did not become healthy after its start: {HealthOf(Find(name))}\n{await DiagnoseAsync(Find(name))}", e);
        }
    }

    /// <summary>
    /// Starts the resource again if a drill left any instance stopped, so one failed test does not
    /// leave the next ones without it.
    /// </summary>
    public async Task EnsureRunningAsync(string name)
    {
        if (StatesOf(name).Any(state => state is null || KnownResourceStates.TerminalStates.Contains(state)))
        {
            await StartAsync(name);
        }
    }

    /// <summary>
    /// kill -9, no warning: every instance's process and, with <paramref name="wholeTree"/>, its
    /// children (a project runs under `dotnet run`, whose child is the service itself). Returns
    /// the exit codes DCP then reports.
    /// </summary>
    public async Task<IReadOnlyList<int?>> KillAsync(string name, bool wholeTree = true, TimeSpan? within = null)
    {
        var resource = Find(name);
        foreach (var id in instances.Of(resource.Name))
        {
            var pid = ProcessIdOf(id) ?? throw new InvalidOperationException($"'{id}' has no process id in its state.");
            foreach (var victim in wholeTree ? [.. ProcessTree.Descendants(pid), pid] : new[] { pid })
            {
                ProcessTree.Kill(victim);
            }
        }
        await WaitForStateAsync(resource, KnownResourceStates.TerminalStates, within ?? TimeSpan.FromSeconds(30));
        return [.. instances.Of(resource.Name).Select(id => app.ResourceNotifications.TryGetCurrentState(id, out var e) ? e.Snapshot.ExitCode : null)];
    }

    /// <summary>The process id DCP reports for a resource instance.</summary>
    public int? ProcessIdOf(string instanceId) =>
        app.ResourceNotifications.TryGetCurrentState(instanceId, out var current) &&
        current.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value &&
        int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>The state text (Running, Exited...) of each instance of a resource.</summary>
    public IReadOnlyList<string?> StatesOf(string name) =>
        [.. instances.Of(name).Select(id => app.ResourceNotifications.TryGetCurrentState(id, out var e) ? e.Snapshot.State?.Text : null)];

    private async Task WaitForStateAsync(IResource resource, IReadOnlyCollection<string> states, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await Task.WhenAll(instances.Of(resource.Name).Select(id =>
            app.ResourceNotifications.WaitForResourceAsync(resource.Name, e => e.ResourceId == id && e.Snapshot.State?.Text is { } text && states.Contains(text), timeout.Token)));
    }
}
