using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Catalog;

[Collection(ShopStackCollection.Name)]
public class RateLimitTests(ShopStackFixture stack)
{
    private const int Limit = 5;

    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_counted_across_replicas()
    {
        await using var limited = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["RateLimiting__PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting__WindowSeconds"] = "60",
        });
        // A fresh user is a fresh partition (sub), whatever else 127.0.0.1 is doing.
        using var customer = await stack.CreateCustomerClientAsync();
        using var viaStackApi = customer.Http;
        using var viaLimitedApi = limited.CreateHttpClient();
        viaLimitedApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customer.AccessToken);

        // The stack's api (generous limit) and the limited replica share the user's counter in Redis.
        for (var i = 0; i < Limit - 1; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await viaStackApi.GetAsync("/api/v1/categories")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await viaLimitedApi.GetAsync("/api/v1/categories")).StatusCode);

        using var refused = await viaLimitedApi.GetAsync("/api/v1/categories");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetInt32());

        // Another client is not affected.
        using var other = await stack.CreateCustomerClientAsync();
        using var otherViaLimited = limited.CreateHttpClient();
        otherViaLimited.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await otherViaLimited.GetAsync("/api/v1/categories")).StatusCode);
    }

    [Fact]
    public async Task With_redis_down_rate_limiting_fails_open()
    {
        await using var api = await ApiProcess.StartAsync(stack, new Dictionary<string, string>
        {
            ["ConnectionStrings__cache"] = $"127.0.0.1:{ApiProcess.FreeTcpPort()}",
            ["RateLimiting__PermitLimit"] = "1",
        });
        using var client = api.CreateHttpClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/categories")).StatusCode);
        }
    }
}
