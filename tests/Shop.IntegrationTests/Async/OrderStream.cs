using System.Collections.Concurrent;
using System.Net;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// A steady stream of real checkouts in the background: <c>batch</c> checkouts every
/// <c>interval</c> (at most 16 at a time) until <c>total</c> were attempted. Every answer is
/// counted by status; anything but 201 Created is a failure (there should be none: checkout
/// only needs Postgres, whatever the broker, worker or payment provider do).
/// With <c>retryUnavailable</c> the stream behaves as the API asks a client to: a 503 is retried
/// after its Retry-After with the same Idempotency-Key (at most <see cref="MaxRetries"/> times),
/// and counted in <see cref="Retried"/> so a report still shows it. The scenarios about the
/// pipeline behind checkout use it (on a starved CI machine a Postgres connection can time out
/// and the API correctly answers 503); the crash drills, which judge checkout's own answers, do not.
/// </summary>
public sealed class OrderStream : IAsyncDisposable
{
    private const int MaxConcurrentCheckouts = 16;
    private const int MaxRetries = 3;

    private readonly ConcurrentQueue<Guid> _placed = new();
    private readonly ConcurrentQueue<CheckoutAttempt> _attempts = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _attempted;
    private int _retried;

    public OrderStream(CheckoutShopper shopper, int total, int batch, TimeSpan interval, bool retryUnavailable = false)
    {
        _running = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentCheckouts, CancellationToken = _stop.Token };
            try
            {
                while (_attempted < total)
                {
                    var size = Math.Min(batch, total - _attempted);
                    _attempted += size;
                    await Parallel.ForEachAsync(Enumerable.Range(0, size), options, async (_, ct) =>
                    {
                        var key = Guid.NewGuid().ToString();
                        var startedAt = _clock.Elapsed;
                        var (status, orderId, retryAfter) = await CheckOutAsync(shopper, key, ct);
                        for (var retry = 0; retryUnavailable && status == Unavailable && retry < MaxRetries; retry++)
                        {
                            Interlocked.Increment(ref _retried);
                            await Task.Delay(retryAfter, ct);
                            (status, orderId, retryAfter) = await CheckOutAsync(shopper, key, ct);
                        }
                        _attempts.Enqueue(new CheckoutAttempt(key, status, orderId, startedAt, _clock.Elapsed - startedAt));
                        _answers.AddOrUpdate(status, 1, (_, n) => n + 1);
                        if (orderId is { } id)
                        {
                            _placed.Enqueue(id);
                        }
                    });
                    await timer.WaitForNextTickAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });
    }

    private static readonly string Unavailable = ((int)HttpStatusCode.ServiceUnavailable).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(string Status, Guid? OrderId, TimeSpan RetryAfter)> CheckOutAsync(CheckoutShopper shopper, string key, CancellationToken cancellationToken)
    {
        try
        {
            var (status, orderId, retryAfter) = await shopper.CheckOutWithRetryAfterAsync(key, cancellationToken);
            return (((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), orderId, retryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (HttpRequestException e)
        {
            return ($"no answer ({e.HttpRequestError})", null, TimeSpan.Zero);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("timed out", null, TimeSpan.Zero);
        }
    }

    /// <summary>Orders placed so far (checkouts answered 201).</summary>
    public int Placed => _placed.Count;

    /// <summary>Checkouts answered with anything but 201 Created, or not at all.</summary>
    public int Failures => _answers.Where(a => a.Key != ((int)HttpStatusCode.Created).ToString(System.Globalization.CultureInfo.InvariantCulture)).Sum(a => a.Value);

    /// <summary>The final answers by status, for reports: "201 x 500", and the 503s retried before them.</summary>
    public string Answers => string.Join(", ", _answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} x {a.Value}"))
        + (_retried > 0 ? $" (after {_retried} x 503 retried with the same key)" : "");

    /// <summary>503 answers retried with the same Idempotency-Key (only with <c>retryUnavailable</c>).</summary>
    public int Retried => _retried;

    public IReadOnlyCollection<Guid> Orders => _placed.ToArray();

    /// <summary>Every checkout attempted: its key, answer, when it started and how long it took.</summary>
    public IReadOnlyList<CheckoutAttempt> Attempts => _attempts.ToArray();

    /// <summary>Time since the stream started: the clock of <see cref="CheckoutAttempt.StartedAt"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public Task Completion => _running;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}

/// <summary>One checkout of a stream: <paramref name="Status"/> is the HTTP status ("201") or why there was none.</summary>
public sealed record CheckoutAttempt(string Key, string Status, Guid? OrderId, TimeSpan StartedAt, TimeSpan Took);
