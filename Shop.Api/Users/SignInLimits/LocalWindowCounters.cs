using System.Collections.Concurrent;

namespace Shop.Api.Users.SignInLimits;

/// <summary>
/// Fixed-window counters in this process: what <see cref="SignInThrottle"/> counts with while
/// Redis is unavailable. Same semantics as the Redis counters, but per replica.
/// </summary>
/// <remarks>
/// Bounded: expired windows are swept when the table grows past <see cref="SweepAbove"/>
/// entries, and if a flood of distinct keys still fills it to <see cref="MaxEntries"/>, the
/// oldest half is dropped (those keys start a fresh window).
/// </remarks>
public sealed class LocalWindowCounters(TimeProvider clock)
{
    private const int SweepAbove = 10_000;
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public (long Count, TimeSpan ResetsIn) Hit(string key, TimeSpan length)
    {
        var now = clock.GetUtcNow();
        if (_windows.Count > SweepAbove)
        {
            Sweep(now);
        }

        var window = _windows.AddOrUpdate(
            key,
            _ => new Window(now + length, 1),
            (_, current) => current.EndsAt <= now ? new Window(now + length, 1) : current with { Count = current.Count + 1 });
        return (window.Count, window.EndsAt - now);
    }

    public void Release(string key)
    {
        var now = clock.GetUtcNow();
        while (_windows.TryGetValue(key, out var current) && current.EndsAt > now && current.Count > 0)
        {
            if (_windows.TryUpdate(key, current with { Count = current.Count - 1 }, current))
            {
                return;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (window.EndsAt <= now)
            {
                _windows.TryRemove(key, out _);
            }
        }

        if (_windows.Count > MaxEntries)
        {
            foreach (var key in _windows.OrderBy(w => w.Value.EndsAt).Take(_windows.Count / 2).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed record Window(DateTimeOffset EndsAt, long Count);
}
