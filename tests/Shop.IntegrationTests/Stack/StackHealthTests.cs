using System.Net;
using Shop.IntegrationTests.Infrastructure;
using ShopAspire.Hosting;

namespace Shop.IntegrationTests.Stack;

[Collection(ShopStackCollection.Name)]
public class StackHealthTests(ShopStackFixture stack)
{
    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("web")]
    [InlineData("payments")]
    [InlineData("mail")]
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
    public void Every_resource_of_the_app_model_is_healthy()
    {
        var states = stack.App.ResourceNotifications.Snapshots.ToDictionary(s => s.Name, s => s.State);

        Assert.Equal(
            ["admin-password", "api", "cache", "jwt-signing-key", "mail", "messaging", "payments", "paymentsdb", "postgres", "shopdb", "web", "worker"],
            states.Keys.Order());
        Assert.All(states, kv => Assert.Equal(ResourceState.Healthy, kv.Value));
    }

    [Fact]
    public void Test_stacks_use_throwaway_data_outside_the_developers_folder()
    {
        Assert.StartsWith(Path.GetTempPath(), stack.App.StackRoot);
        Assert.True(stack.App.Options.EphemeralData);
    }
}
