using ShopAspire.Hosting;

namespace ShopAspire.Hosting.Tests;

public class DependencyGraphTests
{
    private sealed class FakeProject : IProjectMetadata
    {
        public string ProjectPath => "/nowhere/Fake.csproj";

        public string ExecutablePath => "/nowhere/Fake.dll";
    }

    [Fact]
    public void Start_order_puts_servers_and_databases_before_the_projects_that_wait_for_them()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var web = builder.AddProject<FakeProject>("web");
        var api = builder.AddProject<FakeProject>("api");
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("shopdb");
        api.WithReference(db).WaitFor(db);
        web.WithReference(api).WaitFor(api);

        var order = DependencyGraph.StartOrder(builder.Resources).Select(r => r.Name).ToList();

        Assert.True(order.IndexOf("postgres") < order.IndexOf("shopdb"));
        Assert.True(order.IndexOf("shopdb") < order.IndexOf("api"));
        Assert.True(order.IndexOf("api") < order.IndexOf("web"));
    }

    [Fact]
    public void Stop_waves_stop_dependents_before_what_they_depend_on()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var cache = builder.AddRedis("cache");
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("shopdb");
        var api = builder.AddProject<FakeProject>("api").WithReference(db).WithReference(cache).WaitFor(db);
        builder.AddProject<FakeProject>("web").WithReference(api).WaitFor(api);

        var waves = DependencyGraph.StopWaves(builder.Resources).Select(w => w.Select(r => r.Name).Order().ToArray()).ToArray();

        Assert.Equal(["web"], waves[0]);
        Assert.Equal(["api"], waves[1]);
        Assert.Equal(["shopdb"], waves[2]);
        Assert.Equal(["cache", "postgres"], waves[3]);
    }

    [Fact]
    public void A_wait_cycle_is_rejected_at_build_naming_the_cycle()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var a = builder.AddProject<FakeProject>("a");
        var b = builder.AddProject<FakeProject>("b");
        a.WaitFor(b);
        b.WaitFor(a);

        var error = Assert.Throws<DistributedApplicationException>(() => builder.Build());

        Assert.Contains("a -> b -> a", error.Message.Replace("b -> a -> b", "a -> b -> a"));
    }

    [Fact]
    public void A_resource_cannot_wait_for_itself()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var a = builder.AddProject<FakeProject>("a");

        Assert.Throws<InvalidOperationException>(() => a.WaitFor(a));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1api")]
    [InlineData("api--v2")]
    [InlineData("api-")]
    [InlineData("api_v2")]
    public void Invalid_resource_names_are_rejected(string name)
    {
        var builder = DistributedApplication.CreateBuilder([]);

        Assert.ThrowsAny<ArgumentException>(() => builder.AddRedis(name));
    }

    [Fact]
    public void Two_resources_cannot_share_a_name()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.AddRedis("cache");

        Assert.Throws<DistributedApplicationException>(() => builder.AddPostgres("Cache"));
    }
}
