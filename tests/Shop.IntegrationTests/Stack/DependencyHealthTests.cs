using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Stack;

/// <summary>
/// Readiness fails only for what a service cannot serve without (docs/running.md, "What each
/// service needs"): one more api or web process beside the stack, with one dependency pointing
/// at a port nothing listens on.
/// </summary>
[Collection(ShopStackCollection.Name)]
public class DependencyHealthTests(ShopStackFixture stack)
{
    // A dependency check gives up after 5 s; a probe then reports the failure status.
    private static readonly TimeSpan SettleBudget = TimeSpan.FromSeconds(60);

    private static string DeadEndpoint() => $"127.0.0.1:{ApiProcess.FreeTcpPort()}";

    [Fact]
    public async Task Api_without_redis_and_rabbitmq_is_degraded_names_them_and_still_serves_the_catalog()
    {
        await using var api = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__cache"] = DeadEndpoint(),
            ["ConnectionStrings__messaging"] = $"amqp://guest:guest@{DeadEndpoint()}",
        });
        using var client = api.CreateHttpClient();

        var (status, body) = await HealthOnceSettledAsync(client, "Degraded");

        Assert.Equal(HttpStatusCode.OK, status);
        var lines = body.Split('\n');
        Assert.Equal("Degraded", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("StackExchange.Redis: Degraded", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("RabbitMQ.Client: Degraded", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("PostgreSql", StringComparison.Ordinal));

        var checks = await HealthJsonAsync(client);
        Assert.Equal("Degraded", checks["StackExchange.Redis"]);
        Assert.Equal("Degraded", checks["RabbitMQ.Client"]);
        Assert.Equal("Healthy", checks["PostgreSql"]);
        Assert.Equal("Healthy", checks["database-migrations"]);

        // Degraded, not down: the catalog is served from Postgres; only the cart (Redis only) says 503 itself.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/products?pageSize=5")).StatusCode);
        using var customer = await stack.CreateCustomerClientAsync();
        using var cart = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cart");
        cart.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.AccessToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(cart)).StatusCode);
    }

    [Fact]
    public async Task Api_without_postgres_is_not_ready()
    {
        var shopdb = new Npgsql.NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync("shopdb"))
        {
            Host = "127.0.0.1",
            Port = ApiProcess.FreeTcpPort(),
        };
        await using var api = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__shopdb"] = shopdb.ConnectionString,
        });
        using var client = api.CreateHttpClient();

        var (status, body) = await HealthOnceSettledAsync(client, "Unhealthy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var lines = body.Split('\n');
        Assert.Equal("Unhealthy", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("PostgreSql: Unhealthy", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task Web_that_loses_redis_is_degraded_names_it_and_still_serves_pages()
    {
        // Redis through a relay this web alone uses: cutting it is a Redis outage for this process only.
        var cache = (await stack.Shop.EnvironmentOfAsync("web"))["ConnectionStrings__cache"];
        var endpoint = cache.Split(',')[0];
        var separator = endpoint.LastIndexOf(':');
        await using var relay = new TcpForwarder(endpoint[..separator], int.Parse(endpoint[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        await using var web = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__cache"] = $"127.0.0.1:{relay.Port}{cache[endpoint.Length..]}",
        }, resourceName: "web");
        using var client = web.CreateHttpClient();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthOnceSettledAsync(client, "Healthy"));
        await AssertCatalogPageAsync(client, web);

        relay.Cut();

        var (status, body) = await HealthOnceSettledAsync(client, "Degraded");
        Assert.Equal(HttpStatusCode.OK, status);
        var lines = body.Split('\n');
        Assert.Equal("Degraded", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("StackExchange.Redis: Degraded", StringComparison.Ordinal));
        // The key ring it read at start stays in memory: pages (each with an antiforgery token) still render.
        await AssertCatalogPageAsync(client, web);
    }

    [Fact]
    public async Task Web_starting_without_redis_is_not_ready_for_want_of_its_keys()
    {
        await using var web = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__cache"] = DeadEndpoint(),
        }, resourceName: "web");
        using var client = web.CreateHttpClient();

        var (status, body) = await HealthOnceSettledAsync(client, "Unhealthy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var lines = body.Split('\n');
        Assert.Equal("Unhealthy", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("data-protection-keys: Unhealthy", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("StackExchange.Redis: Degraded", StringComparison.Ordinal));
    }

    private static async Task AssertCatalogPageAsync(HttpClient client, ApiProcess web)
    {
        using var home = await client.GetAsync("/");
        var page = await home.Content.ReadAsStringAsync();
        Assert.True(home.StatusCode == HttpStatusCode.OK, $"GET / answered {home.StatusCode}:\n{web.Output}");
        Assert.True(page.Contains("data-testid=\"product-grid\"", StringComparison.Ordinal) || page.Contains("data-testid=\"no-products\"", StringComparison.Ordinal), page);
        Assert.DoesNotContain("data-testid=\"api-unavailable\"", page, StringComparison.Ordinal);
    }

    /// <summary>/health once it reports <paramref name="expected"/> (the start-up checks have run), or the last answer.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> HealthOnceSettledAsync(HttpClient client, string expected)
    {
        var deadline = DateTime.UtcNow + SettleBudget;
        while (true)
        {
            using var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();
            if (body.StartsWith(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }
            await Task.Delay(500);
        }
    }

    private static async Task<Dictionary<string, string>> HealthJsonAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!, StringComparer.Ordinal);
    }
}
