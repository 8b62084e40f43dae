using System.Runtime.InteropServices;
using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>
/// A built app model: starts the resources, reports their state, hands out clients and stops
/// everything it started. The public shape follows Aspire's DistributedApplication.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly string _appHostKey;
    private Orchestrator? _orchestrator;
    private RunContext? _context;
    private ConsoleResourceReporter? _reporter;

    internal DistributedApplication(IReadOnlyList<IResource> resources, DistributedApplicationOptions options, string appHostKey)
    {
        _resources = resources;
        Options = options;
        _appHostKey = appHostKey;
    }

    public DistributedApplicationOptions Options { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public ResourceNotificationService ResourceNotifications { get; } = new();

    /// <summary>Where this run keeps data and logs.</summary>
    public string? StackRoot => _context?.Directories.Root;

    public static IDistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var options = new DistributedApplicationOptions { Args = args };
        var interception = Testing.BuilderInterception.Current;
        interception?.ConfigureOptions(options);
        return new DistributedApplicationBuilder(options) { Interception = interception };
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_orchestrator is not null)
        {
            throw new InvalidOperationException("The application has already been started.");
        }
        if (Options.Args.Contains("--reset-data"))
        {
            ResetData();
        }
        var directories = StackDirectories.Create(Options, _appHostKey);
        _context = new RunContext(Options, directories, new PortAllocator());
        if (Options.ConsoleReporting)
        {
            _reporter = new ConsoleResourceReporter(ResourceNotifications, Console.Out, directories);
        }
        _orchestrator = new Orchestrator(_resources, _context, ResourceNotifications, Console.Out);
        await _orchestrator.StartAsync(cancellationToken);
    }

    /// <summary>Deletes a developer stack's persistent data (the documented reset).</summary>
    private void ResetData()
    {
        var root = Options.DataRoot ?? StackDirectories.DefaultPersistentRoot(_appHostKey);
        if (Directory.Exists(root))
        {
            Console.WriteLine($"--reset-data: deleting {root}");
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts the app and runs until Ctrl+C or SIGTERM, then stops everything it started.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true; // We stop ourselves, in order.
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        try
        {
            await StartAsync(stop.Token);
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (DistributedApplicationException e)
        {
            Console.Error.WriteLine(e.Message);
            Environment.ExitCode = 1;
        }
        Console.WriteLine("Stopping...");
        await DisposeAsync();
        Console.WriteLine("Stopped; every process the AppHost started has exited.");
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_orchestrator is not null)
        {
            await _orchestrator.StopAsync().WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops one resource gracefully, keeping its ports and data (for failure tests: "the broker
    /// is down for 30 s"). Other resources keep running.
    /// </summary>
    public Task StopResourceAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Orchestration.StopResourceAsync(resourceName, cancellationToken);

    /// <summary>Starts a stopped, exited or killed resource again on the same ports with its data.</summary>
    public Task StartResourceAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Orchestration.StartResourceAsync(resourceName, cancellationToken);

    /// <summary>Kills the resource's process with SIGKILL (kill -9): a crash, nothing finishes.</summary>
    public Task KillResourceAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Orchestration.KillResourceAsync(resourceName, cancellationToken);

    private Orchestrator Orchestration => _orchestrator ?? throw new InvalidOperationException("The application has not been started.");

    /// <summary>An HttpClient whose base address is the resource's endpoint (Aspire's CreateHttpClient).</summary>
    public HttpClient CreateHttpClient(string resourceName, string? endpointName = null)
    {
        var project = _resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == resourceName)
            ?? throw new ArgumentException($"'{resourceName}' is not a project resource with an HTTP endpoint.", nameof(resourceName));
        var endpoint = endpointName is null ? project.HttpEndpoint
            : project.Endpoints.FirstOrDefault(e => e.Name == endpointName)
              ?? throw new ArgumentException($"'{resourceName}' has no endpoint named '{endpointName}'.", nameof(endpointName));
        return new HttpClient { BaseAddress = endpoint.Url };
    }

    public Task<string?> GetConnectionStringAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _resources.OfType<IResourceWithConnectionString>().FirstOrDefault(r => r.Name == resourceName)?.GetConnectionString()
            ?? _resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == resourceName)?.ConnectionString);

    /// <summary>The last console lines of a resource (its whole log is in the stack's logs folder).</summary>
    public IReadOnlyList<string> GetLogs(string resourceName, int lines = 200) =>
        _context?.LogFor(resourceName).Tail(lines) ?? [];

    public async ValueTask DisposeAsync()
    {
        if (_orchestrator is not null)
        {
            await _orchestrator.DisposeAsync();
        }
        if (_context is not null)
        {
            foreach (var log in _context.Logs)
            {
                log.Dispose();
            }
            _context.Directories.DeleteIfEphemeral();
        }
        _reporter?.Dispose();
    }
}
