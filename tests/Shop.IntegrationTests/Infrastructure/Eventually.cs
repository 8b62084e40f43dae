namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Polls for an asynchronous outcome (a message consumed, a cache invalidated) within a deadline.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        // 200 ms at first, then longer: a probe is a query or a listing that costs the stack CPU,
        // and three stacks share two cores; what takes a minute needs no five polls a second.
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not observed within {within.TotalSeconds:0} s: {what}");
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 1.5, 2000));
        }
    }

    /// <summary>
    /// Polls a count until it reaches <paramref name="target"/>, for as long as it keeps growing:
    /// fails once it has not moved for <paramref name="stall"/>. A backlog that drains slowly on a
    /// busy machine passes; one that stopped (a lost message, a stuck consumer) fails as early.
    /// </summary>
    public static async Task<int> WhileProgressingAsync(Func<Task<int>> count, int target, TimeSpan stall, string what, TimeSpan? interval = null)
    {
        var last = -1;
        var lastMove = DateTime.UtcNow;
        while (true)
        {
            var now = await count();
            if (now >= target)
            {
                return now;
            }
            if (now != last)
            {
                (last, lastMove) = (now, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - lastMove > stall)
            {
                throw new TimeoutException($"Stalled at {now} of {target} for {stall.TotalSeconds:0} s: {what}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
