using System.Collections.Concurrent;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// A steady stream of checkouts in the background: <c>batch</c> orders every <c>interval</c>
/// until <c>total</c> are placed. Counts placements that failed (there should be none: order
/// creation only needs Postgres).
/// </summary>
public sealed class OrderStream : IAsyncDisposable
{
    private readonly ConcurrentQueue<Guid> _placed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _failures;

    public OrderStream(OrderSeeder seeder, OrderSeeder.Shop shop, int total, int batch, TimeSpan interval)
    {
        _running = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            while (_placed.Count < total && !_stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var id in await seeder.PlaceAsync(shop, Math.Min(batch, total - _placed.Count)))
                    {
                        _placed.Enqueue(id);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _failures);
                }
                try
                {
                    await timer.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    public int Placed => _placed.Count;

    public int Failures => Volatile.Read(ref _failures);

    public IReadOnlyCollection<Guid> Orders => _placed.ToArray();

    public Task Completion => _running;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
