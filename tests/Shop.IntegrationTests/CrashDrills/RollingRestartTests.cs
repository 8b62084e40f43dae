using Shop.IntegrationTests.Async;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.CrashDrills;

/// <summary>
/// A deploy restarts replicas one at a time. Each api replica in turn gets the stop command
/// (SIGTERM: it stops taking connections, finishes its requests and exits) and is started again,
/// while checkouts stream through the one shared address; the other replica takes the traffic.
/// </summary>
[Collection(FailureStackCollection.Name)]
public sealed class RollingRestartTests(BackendStackFixture stack, ITestOutputHelper output) : IDisposable
{
    private readonly AsyncProbes _probes = new(stack);

    [Fact]
    public async Task Restarting_the_api_replicas_one_at_a_time_fails_no_checkout()
    {
        using var shopper = await CheckoutShopper.CreateAsync(stack);
        var replicas = stack.Shop.Instances.Of("api");
        Assert.True(replicas.Count >= 2, "a rolling restart needs two replicas");
        // Runs until cancelled: as long as the restarts take, plus a few seconds either side.
        var stream = new OrderStream(shopper, total: 100_000, batch: 2, TimeSpan.FromMilliseconds(200));
        var restarts = new List<string>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            foreach (var replica in replicas)
            {
                var stopping = stream.Elapsed;
                await stack.Shop.Resources.StopInstanceAsync("api", replica);
                var stopped = stream.Elapsed;
                await stack.Shop.Resources.StartInstanceAsync("api", replica);
                restarts.Add($"{replica} stopped in {(stopped - stopping).TotalSeconds:0.0} s, healthy again {(stream.Elapsed - stopped).TotalSeconds:0.0} s later");
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await stream.DisposeAsync();
            await stack.Shop.Resources.EnsureRunningAsync("api");
        }

        var attempts = stream.Attempts;
        var line = $"rolling restart of {replicas.Count} api replicas: {string.Join("; ", restarts)}; checkouts {stream.Answers}; slowest {attempts.Max(a => a.Took).TotalSeconds:0.00} s";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(attempts.Count > 20, "checkouts must have streamed during the restarts");
        Assert.Equal(0, stream.Failures);

        var settled = await _probes.WaitUntilSettledAsync(stream.Orders, TimeSpan.FromMinutes(2));
        Assert.Equal(stream.Orders.Count, settled.Paid);
    }

    public void Dispose() => _probes.Dispose();
}
