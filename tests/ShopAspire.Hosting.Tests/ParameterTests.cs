using ShopAspire.Hosting;

namespace ShopAspire.Hosting.Tests;

/// <summary>Generated secrets must survive a developer's restart (tokens, accounts) and never leak between test stacks.</summary>
public class ParameterTests
{
    private static async Task<string> RunOnceAsync(string dataRoot, bool ephemeral)
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.Options.EphemeralData = ephemeral;
        builder.Options.DataRoot = dataRoot;
        builder.Options.ConsoleReporting = false;
        var key = builder.AddGeneratedParameter("signing-key", length: 40);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("signing-key");
        return key.Resource.Value;
    }

    [Fact]
    public async Task A_generated_parameter_is_kept_between_runs_of_a_persistent_stack()
    {
        var root = Directory.CreateTempSubdirectory("params-").FullName;
        try
        {
            var first = await RunOnceAsync(root, ephemeral: false);
            var second = await RunOnceAsync(root, ephemeral: false);

            Assert.Equal(40, first.Length);
            Assert.Equal(first, second);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Throwaway_stacks_get_a_fresh_value_each_run()
    {
        var root = Directory.CreateTempSubdirectory("params-").FullName;
        try
        {
            Assert.NotEqual(await RunOnceAsync(root, ephemeral: true), await RunOnceAsync(root, ephemeral: true));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_project_receives_the_parameter_in_its_environment()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var key = builder.AddGeneratedParameter("signing-key");
        var api = builder.AddProject<ProjectEnvironmentTests.FakeProject>("api").WithEnvironment("Auth__SigningKey", key);
        key.Resource.Value = "s3cret";
        api.Resource.HttpEndpoint.AllocatedPort = 41010;

        var env = ProjectEnvironment.For(api.Resource, new DistributedApplicationOptions(), "api-1");

        Assert.Equal("s3cret", env["Auth__SigningKey"]);
    }
}
