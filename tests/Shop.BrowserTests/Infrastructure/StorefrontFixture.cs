using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using RabbitMQ.Client;
using ShopAspire.Hosting;
using ShopAspire.Hosting.Testing;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// The real app model of ShopAspire.AppHost (as in Shop.IntegrationTests' ShopStackFixture) with
/// throwaway servers, plus two extra copies of the web project: "web-2", a second replica on the
/// same Redis and RabbitMQ, and "web-no-api", whose API address points at a closed port (the API
/// is "down" for it). One headless Chromium serves every test.
/// </summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    public const string SecondReplica = "web-2";
    public const string WebWithoutApi = "web-no-api";

    private static readonly string[] Services = ["api", "worker", "web", SecondReplica, WebWithoutApi];
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(4);

    public DistributedApplication App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        await Chromium.EnsureInstalledAsync();

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ShopAspire_AppHost>();
        var web = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "web");
        AddCopyOf(builder, web, SecondReplica);
        AddCopyOf(builder, web, WebWithoutApi).WithEnvironment(env =>
        {
            // Port 9 (discard) is closed here: every call to the API is refused at once.
            env["services__api__http__0"] = "http://127.0.0.1:9";
            env["API_HTTP"] = "http://127.0.0.1:9";
        });

        App = await builder.BuildAsync();
        await App.StartAsync();
        await App.WaitForHealthyOrStopAsync(Services, StartupBudget);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A copy of a project resource under another name: same project, references and waits.</summary>
    private static IResourceBuilder<ProjectResource> AddCopyOf(IDistributedApplicationTestingBuilder builder, ProjectResource source, string name)
    {
        var copy = builder.AddResource(new ProjectResource(name, source.Metadata));
        foreach (var annotation in source.Annotations)
        {
            copy.WithAnnotation(annotation);
        }
        return copy;
    }

    public Uri BaseAddress(string webResource = "web")
    {
        using var client = App.CreateHttpClient(webResource);
        return client.BaseAddress!;
    }

    /// <summary>A fresh browser context (own cookies) on one of the web resources.</summary>
    public async Task<IPage> NewPageAsync(string webResource = "web", ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress(webResource).ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>True when the app model has the payment provider, so the worker really pays orders.</summary>
    public bool HasPaymentFlow => App.Resources.Any(r => r.Name == "payments");

    public HttpClient CreateHttpClient(string resourceName) => App.CreateHttpClient(resourceName);

    public (string Email, string Password) AdminCredentials =>
        ("admin@shopaspire.local", App.Resources.OfType<ParameterResource>().Single(p => p.Name == "admin-password").Value);

    /// <summary>An API client signed in as the bootstrap admin, for seeding products.</summary>
    public async Task<HttpClient> CreateAdminApiClientAsync()
    {
        var http = CreateHttpClient("api");
        var (email, password) = AdminCredentials;
        using var response = await http.PostAsJsonAsync("/api/v1/users/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>Creates a product through the API as the admin; returns its id.</summary>
    public async Task<Guid> CreateProductAsync(string name, decimal price, int stock = 10, string? categorySlug = "kitchen", string? description = null)
    {
        using var admin = await CreateAdminApiClientAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/products", new
        {
            name,
            description = description ?? $"{name}, made for the browser tests.",
            categorySlug,
            price,
            currency = "EUR",
            stock,
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating product '{name}' failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Publishes orders.status-changed as the worker does (docs/api.md, Events).</summary>
    public async Task PublishOrderStatusChangedAsync(Guid orderId, Guid customerId, string status, DateTime at)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await App.GetConnectionStringAsync("messaging") ?? throw new InvalidOperationException("No messaging connection string.")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("shop.events", ExchangeType.Topic, durable: true, autoDelete: false);
        var eventId = Guid.CreateVersion7();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { eventId, orderId, customerId, status, at }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await channel.BasicPublishAsync("shop.events", "orders.status-changed", mandatory: false,
            new BasicProperties { MessageId = eventId.ToString(), ContentType = "application/json", Persistent = true }, body);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (App is not null)
        {
            SaveLogs();
            await App.DisposeAsync();
        }
    }

    /// <summary>The services' console logs next to the screenshots: the first place to look when a test fails.</summary>
    private void SaveLogs()
    {
        var folder = Path.Combine(Path.GetDirectoryName(Screenshots.Directory)!, "logs");
        Directory.CreateDirectory(folder);
        foreach (var project in App.Resources.OfType<ProjectResource>())
        {
            File.WriteAllLines(Path.Combine(folder, $"{project.Name}.log"), App.GetLogs(project.Name, 2000));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontFixture>
{
    public const string Name = "storefront";
}
