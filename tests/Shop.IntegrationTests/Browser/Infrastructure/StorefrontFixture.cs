using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using RabbitMQ.Client;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Shop.Testing;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// The real app model of ShopAspire.AppHost (as in Shop.IntegrationTests' ShopStackFixture) with
/// throwaway servers, plus two extra copies of the web project: "web-2", a second replica on the
/// same Redis and RabbitMQ, and "web-no-api", whose API address points at a closed port (the API
/// is "down" for it). One headless Chromium serves every test. The Aspire dashboard runs too
/// (<see cref="Dashboard"/>): one more process on the stack every test here starts anyway is far
/// cheaper than a second stack for the dashboard tests.
/// </summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    public const string SecondReplica = "web-2";
    public const string WebWithoutApi = "web-no-api";

    private static readonly string[] Services = ["api", "worker", "web", SecondReplica, WebWithoutApi, ShopApp.MonitoringResource];
    // A ceiling, not a wait: on a 2-core machine shared with other test stacks, 4 min was not always enough.
    private const float ActionTimeout = 45_000;
    // A hang guard, not a target: a fresh, slow CI machine installs the servers in the first start.
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(10);

    public ShopApp Shop { get; private set; } = null!;

    public (string Email, string Password) AdminCredentials { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The dashboard of this stack: its address, browser token and telemetry API.</summary>
    public DashboardClient Dashboard { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        await Chromium.EnsureInstalledAsync();

        Shop = await ShopApp.StartAsync<Projects.ShopAspire_AppHost>(Services, StartupBudget, builder =>
        {
            AddCopyOfWeb(builder, SecondReplica);
            // Port 9 (discard) is closed here: every call to the API is refused at once.
            AddCopyOfWeb(builder, WebWithoutApi, apiAddress: "http://127.0.0.1:9");
        }, withDashboard: true, withMonitoring: true,
        // The storefront's tests need two webs, not two of the api and the worker (the replica
        // tests run on the shared stack): four processes fewer on a 2-core machine.
        "--ShopAspire:Replicas:api=1", "--ShopAspire:Replicas:worker=1");
        Dashboard = new DashboardClient(Shop);
        AdminCredentials = ("admin@shopaspire.local", await Shop.ParameterValueAsync("admin-password"));
        await WarmUpStorefrontAsync();

        // Expectations wait as long as actions do (Playwright's default is 5 s): ceilings, not
        // waits. The suite runs three stacks side by side on 2 cores; while one of them drives
        // thousands of checkouts, a server-rendered form post can take many seconds.
        Assertions.SetDefaultExpectTimeout(ActionTimeout);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>
    /// "Healthy" says a process answers, not that its pages do in time: the first product page of
    /// a cold web and api (JIT, connection pools, caches) can take longer than the storefront's
    /// 5 s budget for an API read while three other stacks start on the same 2 cores, and the page
    /// then rightly shows "try again". The tests start once a product page renders whole.
    /// </summary>
    private async Task WarmUpStorefrontAsync()
    {
        var product = await CreateProductAsync($"Warm-up kettle {Guid.NewGuid():N}"[..22], 12.50m);
        using var web = Shop.CreateHttpClient("web");
        var deadline = DateTime.UtcNow + StartupBudget;
        var last = "";
        while (true)
        {
            try
            {
                using var response = await web.GetAsync($"/products/{product}");
                var body = await response.Content.ReadAsStringAsync();
                // The product's name in its heading: the page got the product from the API in time.
                if (response.IsSuccessStatusCode && body.Contains("data-testid=\"product-name\"", StringComparison.Ordinal))
                {
                    return;
                }
                last = $"{(int)response.StatusCode}{(body.Contains("api-unavailable", StringComparison.Ordinal) ? ", the API did not answer in time" : ", no product heading")}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The storefront's product page did not render within {StartupBudget.TotalSeconds:0} s (last: {last}).");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// One more Shop.Web beside "web" with the same references, on its own address: a second
    /// replica a test can address directly, or (with <paramref name="apiAddress"/>) one whose API is down.
    /// </summary>
    private static void AddCopyOfWeb(IDistributedApplicationTestingBuilder builder, string name, string? apiAddress = null)
    {
        IResourceBuilder<T> Existing<T>(string resourceName) where T : IResource =>
            builder.CreateResourceBuilder(builder.Resources.OfType<T>().Single(r => r.Name == resourceName));

        // The AppHost's generated metadata (not the project's path) so DCP runs it with
        // `dotnet run --no-build` like "web": by path it would build Shop.Web again at start,
        // which on a loaded 2-core machine takes minutes.
        var copy = builder.AddProject<Projects.Shop_Web>(name)
            .WithReference(Existing<IResourceWithConnectionString>("cache"))
            .WithReference(Existing<IResourceWithConnectionString>("messaging"))
            .WaitFor(Existing<IResource>("cache"))
            .WithHttpHealthCheck("/health");
        if (apiAddress is null)
        {
            copy.WithReference(Existing<ProjectResource>("api")).WaitFor(Existing<IResource>("api"));
        }
        else
        {
            copy.WithEnvironment("services__api__http__0", apiAddress);
        }
    }

    public Uri BaseAddress(string webResource = "web")
    {
        using var client = Shop.CreateHttpClient(webResource);
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
        context.SetDefaultTimeout(ActionTimeout);
        return await context.NewPageAsync();
    }

    /// <summary>Closes every open browser context (each test's pages): see <see cref="StorefrontTest"/>.</summary>
    public async Task CloseBrowserContextsAsync()
    {
        foreach (var context in Browser.Contexts.ToList())
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A page of the dashboard in a fresh context, logged in with the browser token on the way.</summary>
    public async Task<IPage> NewDashboardPageAsync(string path, ViewportSize viewport)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Dashboard.BaseAddress.ToString(),
            ViewportSize = viewport,
        });
        // A Blazor Server app: its pages fill in over a websocket, slowly on a loaded machine.
        context.SetDefaultTimeout(ActionTimeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Dashboard.LoginUrl(path));
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.OrdinalIgnoreCase));
        return page;
    }

    /// <summary>True when the app model has the payment provider, so the worker really pays orders.</summary>
    public bool HasPaymentFlow => Shop.Model.Resources.Any(r => r.Name == "payments");

    public HttpClient CreateHttpClient(string resourceName) => Shop.CreateHttpClient(resourceName);

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
        var factory = new ConnectionFactory { Uri = new Uri(await Shop.ConnectionStringAsync("messaging")) };
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
        Dashboard?.Dispose();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Shop is not null)
        {
            SaveLogs();
            await Shop.DisposeAsync();
        }
    }

    /// <summary>The services' console logs next to the screenshots: the first place to look when a test fails.</summary>
    private void SaveLogs()
    {
        var folder = Path.Combine(Path.GetDirectoryName(Screenshots.Directory)!, "logs");
        Directory.CreateDirectory(folder);
        foreach (var project in Shop.Model.Resources.OfType<ProjectResource>())
        {
            File.WriteAllLines(Path.Combine(folder, $"{project.Name}.log"), Shop.Logs.Tail(project.Name, 2000));
        }
    }
}

/// <summary>
/// Runs beside the other stacks' collections: its tests assert what a shopper sees, never how
/// fast (the timings it records are for the report), and every wait is a ceiling (45 s).
/// </summary>
[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontFixture>
{
    public const string Name = "storefront";
}
