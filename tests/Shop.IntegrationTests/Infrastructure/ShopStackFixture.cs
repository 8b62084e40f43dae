using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.ApiDocs;
using Shop.Testing;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The real app model of ShopAspire.AppHost (its own Program.cs) under Aspire's
/// DistributedApplicationTestingBuilder, started once per test collection with throwaway
/// Postgres, Redis and RabbitMQ, torn down afterwards.
/// </summary>
public class ShopStackFixture : IAsyncLifetime
{
    private const string Storefront = "web";
    // A hang guard, not a target: a fresh, slow CI machine installs the servers in the first start.
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(10);
    private readonly string[] _services;

    public ShopStackFixture()
        : this(withStorefront: true)
    {
    }

    /// <param name="withStorefront">
    /// Whether the stack runs the web front end. Collections that only drive the API and the
    /// pipeline behind it leave it out: one process fewer to start and keep on a 2-core machine.
    /// </param>
    protected ShopStackFixture(bool withStorefront) =>
        _services = withStorefront ? ["api", "worker", Storefront, "payments", "mail"] : ["api", "worker", "payments", "mail"];

    public ShopApp Shop { get; private set; } = null!;

    public TimeSpan StartupTime { get; private set; }

    public (string Email, string Password) AdminCredentials { get; private set; }

    /// <summary>Every /api/ exchange of this collection's clients, checked against the live OpenAPI document.</summary>
    public ContractRecorder Contract { get; } = new();

    public async Task InitializeAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        // Every client CreateHttpClient hands out (they come from the app's IHttpClientFactory)
        // shows its API traffic to the contract check.
        Shop = await ShopApp.StartAsync<Projects.ShopAspire_AppHost>(_services, StartupBudget, builder =>
        {
            builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new ContractCheckHandler(Contract)));
            if (!_services.Contains(Storefront) && builder.Resources.FirstOrDefault(r => r.Name == Storefront) is { } web)
            {
                builder.Resources.Remove(web);
            }
        });
        StartupTime = started.Elapsed;
        using (var api = Shop.CreateHttpClient("api"))
        {
            Contract.ApiBase = api.BaseAddress;
        }
        AdminCredentials = ("admin@shopaspire.local", await Shop.ParameterValueAsync("admin-password"));
    }

    public HttpClient CreateHttpClient(string resourceName) => Shop.CreateHttpClient(resourceName);

    public Task<string> ConnectionStringAsync(string resourceName) => Shop.ConnectionStringAsync(resourceName);

    public async Task DisposeAsync()
    {
        if (Shop is not null)
        {
            await Shop.DisposeAsync();
        }

        // ContractTests fails on what was recorded before it ran; this fails on the rest.
        var late = Contract.TakeUnreported();
        if (late.Count > 0)
        {
            throw new InvalidOperationException(
                $"The API answered {late.Count} times otherwise than its OpenAPI document says:\n{ContractRecorder.Describe(late)}");
        }
    }
}

/// <summary>The shop's stack without its web front end, for collections that drive only the API and the pipeline behind it.</summary>
public sealed class BackendStackFixture() : ShopStackFixture(withStorefront: false);

[CollectionDefinition(Name)]
public sealed class ShopStackCollection : ICollectionFixture<ShopStackFixture>
{
    public const string Name = "shop stack";
}
