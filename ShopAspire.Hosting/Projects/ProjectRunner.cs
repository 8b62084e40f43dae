using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting;

/// <summary>
/// Runs a project's built assembly with `dotnet` (the AppHost build builds every referenced
/// project first, as Aspire's does), from the project folder so content files resolve as under
/// `dotnet run`, and probes its /health endpoint.
/// </summary>
internal sealed class ProjectRunner : IResourceRunner
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ProjectResource _resource;
    private readonly RunContext _context;
    private ManagedProcess? _process;

    public ProjectRunner(ProjectResource resource, RunContext context)
    {
        _resource = resource;
        _context = context;
        foreach (var endpoint in resource.Endpoints)
        {
            endpoint.AllocatedPort = endpoint.FixedPort ?? context.Ports.Allocate();
        }
    }

    public Task<int> Exited => _process?.Exited ?? new TaskCompletionSource<int>().Task;

    public int? ProcessId => _process?.Id;

    public IReadOnlyList<Uri> Urls => [.. _resource.Endpoints.Select(e => e.Url)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var assembly = _resource.Metadata.ExecutablePath;
        if (!File.Exists(assembly))
        {
            throw new DistributedApplicationException($"'{assembly}' does not exist: build the solution first (dotnet build).");
        }
        var args = new List<string> { assembly };
        args.AddRange(_resource.Annotations.OfType<CommandLineArgsAnnotation>().SelectMany(a => a.Args));
        if (_process is { HasExited: true } previous)
        {
            // A restart after a stop or a kill: the old process is gone, release its handle.
            _ = previous.DisposeAsync().AsTask();
        }
        var environment = ProjectEnvironment.For(_resource, _context.Options, $"{_resource.Name}-{Guid.NewGuid():N}"[..20]);
        _process = ManagedProcess.Start(
            new ProcessSpec(DotNetHost, args)
            {
                Environment = environment,
                WorkingDirectory = Path.GetDirectoryName(_resource.Metadata.ProjectPath),
            },
            _context.LogFor(_resource.Name));
        return Task.CompletedTask;
    }

    // The same dotnet that runs the AppHost runs the projects.
    private static string DotNetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var check = _resource.Annotations.OfType<HttpHealthCheckAnnotation>().LastOrDefault();
        if (check is null)
        {
            return true;
        }
        try
        {
            using var response = await Probe.GetAsync(new Uri(_resource.HttpEndpoint.Url, check.Path), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.StopAsync(_context.Options.ShutdownTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
