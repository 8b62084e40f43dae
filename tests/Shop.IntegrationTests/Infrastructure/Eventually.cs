namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Polls for an asynchronous outcome (a message consumed, a cache invalidated) within a deadline.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
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
            await Task.Delay(200);
        }
    }
}
