using ShopAspire.Hosting.Infrastructure;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting;

/// <summary>A resource the AppHost can run: it knows how to make its runner.</summary>
public interface IRunnableResource : IResource
{
    /// <summary>A short type name for the resource table (Postgres, Redis, Project...).</summary>
    string TypeName { get; }

    /// <summary>The Debian packages the resource needs on this machine, if any.</summary>
    IEnumerable<ServerPackage> RequiredPackages { get; }

    IResourceRunner CreateRunner(RunContext context);
}

/// <summary>Starts, checks and stops one resource.</summary>
public interface IResourceRunner : IAsyncDisposable
{
    /// <summary>Launches the resource; returns when it is running (not necessarily healthy).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>True when the resource answers as it should (a query, a PING, an AMQP handshake, /health).</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    /// <summary>Completes with the exit code when the resource's main process ends; never for resources without one.</summary>
    Task<int> Exited { get; }

    IReadOnlyList<Uri> Urls { get; }

    /// <summary>The main process, once started; null for resources without one.</summary>
    int? ProcessId { get; }

    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>What runners share for one run of the app: folders, ports, logs, options.</summary>
public sealed class RunContext
{
    private readonly Dictionary<string, ResourceLog> _logs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    internal RunContext(DistributedApplicationOptions options, StackDirectories directories, PortAllocator ports)
    {
        Options = options;
        Directories = directories;
        Ports = ports;
    }

    public DistributedApplicationOptions Options { get; }

    public StackDirectories Directories { get; }

    public PortAllocator Ports { get; }

    public ResourceLog LogFor(string resourceName)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(resourceName, out var log))
            {
                log = new ResourceLog(resourceName, Path.Combine(Directories.Logs, $"{resourceName}.log"));
                _logs[resourceName] = log;
            }
            return log;
        }
    }

    internal IReadOnlyCollection<ResourceLog> Logs
    {
        get
        {
            lock (_gate)
            {
                return _logs.Values.ToArray();
            }
        }
    }
}
