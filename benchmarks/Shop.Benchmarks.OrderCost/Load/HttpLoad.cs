using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Shop.Benchmarks.OrderCost.Load;

/// <summary>One request of a load phase: built per call (fresh Idempotency-Key, the worker's token).</summary>
/// <param name="Build">Makes the request for the given connection (worker) and sequence number.</param>
/// <param name="OnSuccess">Sees each successful response of that worker (e.g. to keep an order id).</param>
public sealed record LoadRequest(
    string Label,
    Func<int, long, HttpRequestMessage> Build,
    HttpStatusCode Expected,
    Action<int, HttpResponseMessage>? OnSuccess = null);

/// <summary>What one phase of load did.</summary>
public sealed record LoadResult(string Label, long Succeeded, long Failed, double Seconds, IReadOnlyList<double> LatenciesMs, IReadOnlyDictionary<string, long> Failures)
{
    public double PerSecond => Succeeded / Seconds;
}

/// <summary>
/// The load driver: HttpClient over one SocketsHttpHandler, a fixed number of connections, one
/// task per connection. Written in C# rather than wrk (Debian has wrk 4.1) because every
/// checkout needs a fresh Idempotency-Key, the connection's own customer token and the created
/// order's id kept for later reads, which in wrk means Lua per request; here it is a few lines,
/// latencies come out exact, and the driver's own CPU time is this process's, read from
/// /proc/self like the stack's. It does little per request: a pre-encoded body, headers, no
/// response parsing beyond the status and the Location header.
/// </summary>
public sealed class HttpLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _connections;

    public HttpLoad(Uri api, int connections)
    {
        _connections = connections;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public HttpClient Client => _http;

    /// <summary>
    /// Closed loop at saturation: each connection sends its next request when the last one is
    /// answered, for <paramref name="duration"/>.
    /// </summary>
    public Task<LoadResult> SaturateAsync(LoadRequest request, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(request, duration, perSecond: null, cancellationToken);

    /// <summary>
    /// Open loop at <paramref name="perSecond"/>: request k is due at start + k / rate, whichever
    /// connection is free takes it (late if none is: the rate is then simply not reached).
    /// </summary>
    public Task<LoadResult> PaceAsync(LoadRequest request, double perSecond, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(request, duration, perSecond, cancellationToken);

    private async Task<LoadResult> RunAsync(LoadRequest request, TimeSpan duration, double? perSecond, CancellationToken cancellationToken)
    {
        long succeeded = 0, failed = 0, sequence = -1;
        var failures = new Dictionary<string, long>(StringComparer.Ordinal);
        var latencies = new List<double>[_connections];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, _connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref sequence);
                if (perSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds(n / rate);
                    if (due >= duration)
                    {
                        return;
                    }
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (clock.Elapsed >= duration)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    using var message = request.Build(worker, n);
                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                    if (response.StatusCode == request.Expected)
                    {
                        request.OnSuccess?.Invoke(worker, response);
                    }
                    else
                    {
                        failure = $"HTTP {(int)response.StatusCode}";
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failure = e.GetType().Name;
                }
                if (failure is null)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref succeeded);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    lock (failures)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                }
            }
        }, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Requests still running at the deadline finish and count, over the time they took.
        return new LoadResult(request.Label, succeeded, failed, clock.Elapsed.TotalSeconds,
            [.. latencies.Where(l => l is not null).SelectMany(l => l)], failures);
    }

    public void Dispose() => _http.Dispose();
}
