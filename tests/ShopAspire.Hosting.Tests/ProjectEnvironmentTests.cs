using ShopAspire.Hosting;
using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting.Tests;

/// <summary>The variables a project receives must be exactly Aspire's, or services break under a real AppHost.</summary>
public class ProjectEnvironmentTests
{
    internal sealed class FakeProject : IProjectMetadata
    {
        public string ProjectPath => "/nowhere/Fake.csproj";

        public string ExecutablePath => "/nowhere/Fake.dll";
    }

    private static (ProjectResource Api, ProjectResource Web) BuildModel(DistributedApplicationOptions? options = null)
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var postgres = builder.AddPostgres("postgres");
        var shopdb = postgres.AddDatabase("shopdb");
        var cache = builder.AddRedis("cache");
        var messaging = builder.AddRabbitMQ("messaging");
        var api = builder.AddProject<FakeProject>("api").WithReference(shopdb).WithReference(cache).WithReference(messaging);
        var web = builder.AddProject<FakeProject>("web").WithReference(api).WithEnvironment("FEATURE", "on");

        postgres.Resource.Endpoint.AllocatedPort = 41001;
        postgres.Resource.Password = "pgpass";
        cache.Resource.Endpoint.AllocatedPort = 41002;
        cache.Resource.Password = "redispass";
        messaging.Resource.Endpoint.AllocatedPort = 41003;
        messaging.Resource.Password = "rabbit/pass";
        api.Resource.HttpEndpoint.AllocatedPort = 41004;
        web.Resource.HttpEndpoint.AllocatedPort = 41005;
        return (api.Resource, web.Resource);
    }

    [Fact]
    public void Connection_strings_follow_aspires_formats()
    {
        var (api, _) = BuildModel();

        var env = ProjectEnvironment.For(api, new DistributedApplicationOptions(), "api-1");

        Assert.Equal("Host=localhost;Port=41001;Username=postgres;Password=pgpass;Database=shopdb", env["ConnectionStrings__shopdb"]);
        Assert.Equal("localhost:41002,password=redispass", env["ConnectionStrings__cache"]);
        Assert.Equal("amqp://guest:rabbit%2Fpass@localhost:41003", env["ConnectionStrings__messaging"]);
        Assert.False(env.ContainsKey("ConnectionStrings__postgres"));
    }

    [Fact]
    public void A_referenced_project_is_discoverable_by_name()
    {
        var (_, web) = BuildModel();

        var env = ProjectEnvironment.For(web, new DistributedApplicationOptions(), "web-1");

        Assert.Equal("http://localhost:41004", env["services__api__http__0"]);
        Assert.Equal("http://localhost:41004", env["API_HTTP"]);
        Assert.Equal("http://localhost:41005", env["ASPNETCORE_URLS"]);
        Assert.Equal("on", env["FEATURE"]);
    }

    [Fact]
    public void Telemetry_names_the_service_and_exports_only_when_an_endpoint_is_configured()
    {
        var (api, _) = BuildModel();

        var without = ProjectEnvironment.For(api, new DistributedApplicationOptions { OtlpEndpoint = null }, "api-1");
        var with = ProjectEnvironment.For(api, new DistributedApplicationOptions { OtlpEndpoint = "http://localhost:18889" }, "api-1");

        Assert.Equal("api", without["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=api-1", without["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.False(without.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http://localhost:18889", with["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("always_on", with["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("Development", with["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public void Generated_passwords_differ_and_persist_only_for_persistent_data()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            Assert.NotEqual(GeneratedPassword.GetOrCreate(folder, persistent: false), GeneratedPassword.GetOrCreate(folder, persistent: false));
            var first = GeneratedPassword.GetOrCreate(folder, persistent: true);
            Assert.Equal(first, GeneratedPassword.GetOrCreate(folder, persistent: true));
            Assert.Matches("^[a-zA-Z0-9]{22}$", first);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
