namespace ShopAspire.Hosting.Testing;

public static class HealthyStackExtensions
{
    /// <summary>
    /// Waits until every named resource is healthy. If one exits or the budget runs out, stops the
    /// whole app and throws with each resource's state and last log lines, so a fixture that could
    /// not start says why instead of leaving servers behind.
    /// </summary>
    public static async Task WaitForHealthyOrStopAsync(this DistributedApplication app, IEnumerable<string> resourceNames, TimeSpan budget)
    {
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            await Task.WhenAll(resourceNames.Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException)
        {
            var report = string.Join("\n", app.ResourceNotifications.Snapshots.Select(s =>
                $"--- {s.Name}: {s.State} {s.Message}\n    " + string.Join("\n    ", app.GetLogs(s.Name, 40))));
            await app.DisposeAsync();
            throw new InvalidOperationException($"The stack did not become healthy within {budget.TotalSeconds:0} s: {e.Message}\n{report}", e);
        }
    }
}
