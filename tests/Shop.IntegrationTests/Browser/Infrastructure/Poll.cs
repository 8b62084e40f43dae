namespace Shop.BrowserTests.Infrastructure;

/// <summary>Polling with a deadline, for what arrives asynchronously (telemetry exported every second).</summary>
public static class Poll
{
    /// <summary>
    /// Calls <paramref name="probe"/> every <paramref name="interval"/> until <paramref name="missing"/>
    /// finds nothing missing in its value, and returns that value; fails listing what is still
    /// missing (and <paramref name="explain"/>, if given) once <paramref name="budget"/> is spent.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe,
        Func<T, IReadOnlyCollection<string>> missing,
        TimeSpan budget,
        TimeSpan interval,
        Func<T, Task<string>>? explain = null)
    {
        var deadline = DateTime.UtcNow + budget;
        while (true)
        {
            var value = await probe();
            var gaps = missing(value);
            if (gaps.Count == 0)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                var details = explain is null ? "" : "\n" + await explain(value);
                Assert.Fail($"Still missing after {budget.TotalSeconds:0} s:\n  {string.Join("\n  ", gaps)}{details}");
            }
            await Task.Delay(interval);
        }
    }
}
