using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// One more Shop.Api process next to the stack's "api": the same build and the same environment
/// the AppHost gives "api" (ProjectEnvironment), on its own port, with optional overrides. Real
/// HTTP, a real second replica.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupBudget = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <param name="overrides">Environment variables to change, e.g. ConnectionStrings__cache.</param>
    /// <param name="resourceName">Another project of the app model to run one more copy of, e.g. "web".</param>
    public static async Task<ApiProcess> StartAsync(ShopStackFixture stack, IReadOnlyDictionary<string, string>? overrides = null, string resourceName = "api")
    {
        var projectPath = stack.Shop.ProjectPathOf(resourceName);
        var environment = await stack.Shop.EnvironmentOfAsync(resourceName);
        var baseAddress = new Uri($"http://127.0.0.1:{FreeTcpPort()}");
        // Its own address and name; everything else as the AppHost gives the "api" replicas.
        foreach (var key in environment.Keys.Where(k => k is "HTTP_PORTS" or "ASPNETCORE_HTTP_PORTS" or "PORT" or "ASPNETCORE_HTTPS_PORTS").ToList())
        {
            environment.Remove(key);
        }
        environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        environment["OTEL_SERVICE_NAME"] = $"{resourceName}-extra";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(projectPath),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltAssembly(projectPath));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var api = new ApiProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await api.WaitUntilAliveAsync();
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    /// <summary>The project's build output in the configuration these tests were built in (bin/&lt;config&gt;/&lt;tfm&gt;).</summary>
    private static string BuiltAssembly(string projectPath)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var name = Path.GetFileNameWithoutExtension(projectPath);
        return Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", configuration, framework, $"{name}.dll");
    }

    private async Task WaitUntilAliveAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartupBudget;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The extra Shop.Api exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                // /alive, not /health: a test may start it with a dependency deliberately missing.
                using var response = await probe.GetAsync("/alive");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The extra Shop.Api was not alive within {StartupBudget.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A port nothing listens on (for a dead dependency) or that the API may bind.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
