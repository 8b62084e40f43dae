using ShopAspire.Hosting;
using ShopAspire.Hosting.Testing;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The real app model of ShopAspire.AppHost (its own Program.cs), started once per test collection
/// with throwaway Postgres, Redis and RabbitMQ, torn down afterwards: Aspire's testing pattern.
/// </summary>
public sealed class ShopStackFixture : IAsyncLifetime
{
    private static readonly string[] Services = ["api", "worker", "web"];
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(4);

    public DistributedApplication App { get; private set; } = null!;

    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ShopAspire_AppHost>();
        App = await builder.BuildAsync();
        await App.StartAsync();
        await App.WaitForHealthyOrStopAsync(Services, StartupBudget);
        StartupTime = started.Elapsed;
    }

    /// <summary>The bootstrap admin the API creates from the AppHost's generated parameter.</summary>
    public (string Email, string Password) AdminCredentials =>
        ("admin@shopaspire.local", App.Resources.OfType<ParameterResource>().Single(p => p.Name == "admin-password").Value);

    public HttpClient CreateHttpClient(string resourceName) => App.CreateHttpClient(resourceName);

    public async Task<string> ConnectionStringAsync(string resourceName) =>
        await App.GetConnectionStringAsync(resourceName) ?? throw new InvalidOperationException($"No connection string for '{resourceName}'.");

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ShopStackCollection : ICollectionFixture<ShopStackFixture>
{
    public const string Name = "shop stack";
}
