using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Shop.Testing;

/// <summary>
/// The AppHost's own app model (its Program.cs) started by Aspire's DistributedApplicationTestingBuilder
/// with throwaway server data in a temp folder, the way Aspire tests start theirs. One per test
/// collection; disposing stops every resource and deletes the data.
/// </summary>
public sealed class ShopApp : IAsyncDisposable
{
    private readonly string _dataRoot;

    private ShopApp(DistributedApplication app, string dataRoot)
    {
        App = app;
        _dataRoot = dataRoot;
        Logs = new ResourceLogs(app);
        Instances = new ResourceInstances(app, Logs.Follow);
        Resources = new ResourceControl(app, Instances, Logs);
    }

    public DistributedApplication App { get; }

    /// <summary>Console output of every resource instance, captured from the start.</summary>
    public ResourceLogs Logs { get; }

    /// <summary>Each resource's instance ids (replicas).</summary>
    public ResourceInstances Instances { get; }

    /// <summary>Stop, start and kill -9 through Aspire (resource commands, the process id in the resource's state).</summary>
    public ResourceControl Resources { get; }

    public DistributedApplicationModel Model => App.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>The AppHost's Prometheus (dashboards and alerts).</summary>
    public const string MonitoringResource = "monitoring";

    /// <summary>
    /// The first stack of a test run starts alone; the others wait for it, then start side by side,
    /// each with its whole budget from then on. The first start is the one that installs missing
    /// server packages with apt on a fresh machine (a minute or two, under a machine-wide lock
    /// that every other start would otherwise wait for inside its own budget): on a slow 2-core CI
    /// machine, five stacks starting at once behind that install all missed their 6-minute budget.
    /// </summary>
    private static readonly SemaphoreSlim FirstStart = new(1, 1);
    private static volatile bool s_firstStartDone;

    /// <summary>
    /// Builds the app model of <typeparamref name="TAppHost"/>, lets <paramref name="configure"/> change it,
    /// starts it and waits until <paramref name="healthy"/> are healthy; if they are not within
    /// <paramref name="budget"/> (counted from its turn to start, see <see cref="FirstStart"/>), stops everything and throws with each resource's state and log tail.
    /// </summary>
    public static async Task<ShopApp> StartAsync<TAppHost>(
        IEnumerable<string> healthy,
        TimeSpan budget,
        Action<IDistributedApplicationTestingBuilder>? configure = null,
        bool withDashboard = false,
        bool withMonitoring = false,
        params string[] args)
        where TAppHost : class
    {
        DirectProjectLaunch.Enable();
        var dataRoot = ThrowawayDataRoot.NewPath();
        string[] allArgs =
        [
            $"--ShopAspire:DataRoot={dataRoot}",
            "--ShopAspire:ThrowawayData=true",
            .. args,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(allArgs, (options, _) =>
        {
            // Off unless a test looks at it: the dashboard costs a process and ~300 MB.
            options.DisableDashboard = !withDashboard;
            options.AllowUnsecuredTransport = true;
        });
        QuietConsole(builder);
        configure?.Invoke(builder);
        if (!withMonitoring && builder.Resources.FirstOrDefault(r => r.Name == MonitoringResource) is { } monitoring)
        {
            // Off unless a test looks at it: Prometheus scraping every instance costs CPU the
            // other stacks on a 2-core machine need.
            builder.Resources.Remove(monitoring);
        }
        if (!withDashboard)
        {
            WithoutTelemetryExport(builder);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var app = await builder.BuildAsync();
        var shop = new ShopApp(app, dataRoot);
        var built = clock.Elapsed;
        var alone = !s_firstStartDone;
        if (alone)
        {
            await FirstStart.WaitAsync();
            alone = !s_firstStartDone;
            if (!alone)
            {
                FirstStart.Release();
            }
        }
        var turn = clock.Elapsed;
        try
        {
            using var timeout = new CancellationTokenSource(budget);
            await app.StartAsync(timeout.Token);
            var started = clock.Elapsed;
            await Task.WhenAll(healthy.Select(name => shop.WaitForHealthyAsync(name, timeout.Token)));
            // Where a stack's start went (the test host's console, shown at normal verbosity): the suite's first minute is three of these at once.
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Stack of {string.Join(", ", healthy)}: model built in {built.TotalSeconds:0.0} s, its turn to start after {(turn - built).TotalSeconds:0.0} s{(alone ? " (the first, alone)" : "")}, started in {(started - turn).TotalSeconds:0.0} s, healthy {(clock.Elapsed - started).TotalSeconds:0.0} s later."));
        }
        catch (Exception e)
        {
            var report = shop.DescribeResources();
            await shop.DisposeAsync();
            throw new InvalidOperationException($"The app did not become healthy within {budget.TotalSeconds:0} s: {e.Message}\n{report}", e);
        }
        finally
        {
            if (alone)
            {
                s_firstStartDone = true;
                FirstStart.Release();
            }
        }
        return shop;
    }

    /// <summary>
    /// The test host's own console gets only warnings and errors: of the resources' output (every
    /// line of which <see cref="Logs"/> keeps, and a failed start reports) and of its HTTP
    /// clients. At Information both write a line or two per request of every stack, over 100,000
    /// lines in a run that nobody reads (the test runner shows a passing test's output only at
    /// detailed verbosity) and that cost the 2 cores the stacks need.
    /// </summary>
    private static void QuietConsole(IDistributedApplicationTestingBuilder builder) =>
        builder.Services.AddLogging(logging => logging
            .AddFilter($"{builder.Environment.ApplicationName}.Resources", LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));

    /// <summary>
    /// Without a dashboard Aspire still points every project's OTLP exporter at localhost:4317,
    /// where nothing listens: each export then fails and is retried, and a service asked to stop
    /// spends ~10 s flushing telemetry into the void, past DCP's stop budget (the stop fails and
    /// the drill with it). No collector, no exporter.
    /// </summary>
    private static void WithoutTelemetryExport(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                foreach (var key in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                {
                    context.EnvironmentVariables.Remove(key);
                }
            });
        }
    }

    /// <summary>Waits until every instance (replica) of the named resource is running and healthy.</summary>
    public async Task WaitForHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var replicas = Model.Resources.Single(r => r.Name == resourceName).Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        var ids = await Instances.OfAsync(resourceName, replicas, cancellationToken);
        await Task.WhenAll(ids.Select(id => App.ResourceNotifications.WaitForHealthyInstanceAsync(resourceName, id, cancellationToken)));
    }

    public Task WaitForHealthyAsync(string resourceName, TimeSpan within) =>
        WaitForHealthyAsync(resourceName, new CancellationTokenSource(within).Token);

    public HttpClient CreateHttpClient(string resourceName, string? endpointName = null) => App.CreateHttpClient(resourceName, endpointName);

    /// <summary>The dev mail server's API (the <c>mail</c> resource, smtp4dev).</summary>
    public MailServerClient CreateMailClient() => new(CreateHttpClient("mail", "http"));

    public async Task<string> ConnectionStringAsync(string resourceName) =>
        await App.GetConnectionStringAsync(resourceName) ?? throw new InvalidOperationException($"No connection string for '{resourceName}'.");

    /// <summary>A parameter's value: a generated secret such as the admin's password.</summary>
    public async Task<string> ParameterValueAsync(string name) =>
        await Model.Resources.OfType<ParameterResource>().Single(p => p.Name == name).GetValueAsync(CancellationToken.None)
        ?? throw new InvalidOperationException($"Parameter '{name}' has no value.");

    /// <summary>The environment the AppHost gives a project: to run one more copy of it beside the app.</summary>
    public async Task<Dictionary<string, string>> EnvironmentOfAsync(string resourceName)
    {
        var resource = Model.Resources.OfType<IResourceWithEnvironment>().Single(r => r.Name == resourceName);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The project file behind a project resource.</summary>
    public string ProjectPathOf(string resourceName) =>
        Model.Resources.OfType<ProjectResource>().Single(r => r.Name == resourceName).GetProjectMetadata().ProjectPath;

    public string DescribeResources()
    {
        var lines = new List<string>();
        foreach (var resource in Model.Resources.Where(r => r is not ParameterResource))
        {
            foreach (var id in Instances.Of(resource.Name))
            {
                var state = App.ResourceNotifications.TryGetCurrentState(id, out var current)
                    ? $"{current.Snapshot.State?.Text} health={current.Snapshot.HealthStatus} exit={current.Snapshot.ExitCode}"
                    : "no state";
                lines.Add($"--- {id}: {state}");
                if (App.ResourceNotifications.TryGetCurrentState(id, out var health))
                {
                    lines.AddRange(health.Snapshot.HealthReports
                        .Where(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                        .Select(r => $"    health check {r.Name}: {r.Status?.ToString() ?? "not checked yet"} {r.Description} {r.ExceptionText}".TrimEnd()));
                }
                lines.AddRange(Logs.Tail(id, 30).Select(l => "    " + l));
            }
        }
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        await Instances.DisposeAsync();
        await Logs.DisposeAsync();
        await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await App.DisposeAsync();
        try
        {
            if (Directory.Exists(_dataRoot))
            {
                Directory.Delete(_dataRoot, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A server may still be flushing a file; the OS clears the temp folder (or RAM) later.
        }
    }
}
