using System.Net;
using Shop.IntegrationTests.Infrastructure;
using Aspire.Hosting.ApplicationModel;

namespace Shop.IntegrationTests.Stack;

[Collection(ShopStackCollection.Name)]
public class StackHealthTests(ShopStackFixture stack)
{
    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("web")]
    [InlineData("payments")]
    public async Task Every_service_reports_healthy_and_alive(string service)
    {
        using var client = stack.CreateHttpClient(service);

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public void Every_resource_of_the_app_model_is_running_and_healthy()
    {
        // Hidden helpers (Aspire's per-project rebuilders) are not part of the shop.
        var resources = stack.Shop.Model.Resources
            .Where(r => r is not ParameterResource)
            .Where(r => !stack.Shop.Instances.Of(r.Name).Any(id => stack.Shop.App.ResourceNotifications.TryGetCurrentState(id, out var e) && e.Snapshot.IsHidden))
            .Select(r => r.Name).Order().ToArray();

        Assert.Equal(
            ["api", "cache", "mail", "messaging", "messaging-epmd", "payments", "paymentsdb", "postgres", "shopdb", "web", "worker"],
            resources);
        foreach (var id in resources.SelectMany(stack.Shop.Instances.Of))
        {
            Assert.True(stack.Shop.App.ResourceNotifications.TryGetCurrentState(id, out var state), $"{id} has no state");
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void Api_and_worker_run_as_two_replicas(string service) =>
        Assert.Equal(2, stack.Shop.Instances.Of(service).Count);
}
