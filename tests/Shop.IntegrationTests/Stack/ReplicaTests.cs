using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.IntegrationTests.Async;
using Shop.IntegrationTests.Catalog;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Stack;

/// <summary>
/// The AppHost runs api and worker as two replicas each (WithReplicas) behind one address: both
/// serve, a catalog change through one is seen through the other at once, and the work queued
/// for the workers is shared with no duplicate effect.
/// </summary>
[Collection(ShopStackCollection.Name)]
public sealed class ReplicaTests(ShopStackFixture stack, ITestOutputHelper output)
{
    private const string ServedBy = "X-Served-By";

    [Fact]
    public async Task Both_api_replicas_answer_through_the_one_address()
    {
        var address = ProxyAddress("api");
        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40 && servedBy.Count < 2; i++)
        {
            // A new connection each time: the proxy balances connections, not requests.
            using var client = new HttpClient { BaseAddress = address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/categories");
            request.Headers.ConnectionClose = true;
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            servedBy.Add(response.Headers.GetValues(ServedBy).Single());
        }

        Assert.Equal(stack.Shop.Instances.Of("api").Order(StringComparer.Ordinal), servedBy.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_price_change_through_one_api_replica_is_served_by_the_other_within_a_second()
    {
        using var admin = await stack.CreateAdminClientAsync();
        var (first, second) = await ClientPerReplicaAsync("api");
        foreach (var client in new[] { first.Client, second.Client })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        }
        var token = CatalogTestData.UniqueToken();
        var id = (await first.Client.CreateProductAsync($"Replica lamp {token}", 10m)).Id();
        // Both replicas now hold the product in their in-process cache.
        Assert.Equal(10m, await PriceAsync(first, id));
        Assert.Equal(10m, await PriceAsync(second, id));

        (await first.Client.PutAsJsonAsync($"/api/v1/products/{id}", new { name = $"Replica lamp {token}", price = 12.5m })).EnsureSuccessStatusCode();
        var changed = Stopwatch.StartNew();
        await Eventually.GetAsync(async () => await PriceAsync(second, id) == 12.5m ? "" : null, TimeSpan.FromSeconds(1), "the other replica serves the new price");

        output.WriteLine($"{second.Id} served the price set through {first.Id} after {changed.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(12.5m, await PriceAsync(first, id));
    }

    [Fact]
    public async Task Both_worker_replicas_take_payments_and_no_order_is_charged_twice()
    {
        var probes = new AsyncProbes(stack);
        using var _ = probes;
        var (one, two) = await ClientPerReplicaAsync("worker", authorized: true);
        var before = (await PaymentsDoneAsync(one), await PaymentsDoneAsync(two));
        var seeder = await probes.SeederAsync();
        var shop = await seeder.CreateShopAsync();

        var orders = await seeder.PlaceAsync(shop, 200);
        var settled = await probes.WaitUntilSettledAsync(orders, TimeSpan.FromMinutes(3));
        var charges = await probes.ChargesPerOrderAsync(orders);
        var byOne = await PaymentsDoneAsync(one) - before.Item1;
        var byTwo = await PaymentsDoneAsync(two) - before.Item2;

        output.WriteLine($"200 orders: {one.Id} paid {byOne}, {two.Id} paid {byTwo}; {settled.Paid} paid, max charges per order {charges.Values.Max()}");
        Assert.Equal(200, settled.Paid);
        Assert.Equal(200, charges.Count);
        Assert.All(charges.Values, n => Assert.Equal(1, n));
        Assert.True(byOne > 0 && byTwo > 0, $"both replicas must take payments ({byOne}, {byTwo})");
        Assert.Equal(200, byOne + byTwo);
    }

    private sealed record PinnedClient(string Id, HttpClient Client);

    private Uri ProxyAddress(string resource)
    {
        using var client = stack.CreateHttpClient(resource);
        return client.BaseAddress!;
    }

    /// <summary>
    /// One client per replica: each keeps its single connection, which the proxy bound to one
    /// replica; new clients are opened until both replicas are covered.
    /// </summary>
    private async Task<(PinnedClient First, PinnedClient Second)> ClientPerReplicaAsync(string resource, bool authorized = false)
    {
        var pinned = new Dictionary<string, PinnedClient>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 40 && pinned.Count < 2; attempt++)
        {
            var client = authorized
                ? new HttpClient(new AdminTokenHandler(stack, new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })) { BaseAddress = ProxyAddress(resource) }
                : new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { BaseAddress = ProxyAddress(resource) };
            using var probe = await client.GetAsync("/alive");
            var id = probe.Headers.GetValues(ServedBy).Single();
            if (!pinned.TryAdd(id, new PinnedClient(id, client)))
            {
                client.Dispose();
            }
        }
        Assert.True(pinned.Count == 2, $"the proxy in front of {resource} must reach two replicas");
        var both = pinned.Values.ToArray();
        return (both[0], both[1]);
    }

    private static async Task<decimal> PriceAsync(PinnedClient api, Guid id)
    {
        using var response = await api.Client.GetAsync($"/api/v1/products/{id}");
        Assert.Equal(api.Id, response.Headers.GetValues(ServedBy).Single()); // still the same replica
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("price").GetDecimal();
    }

    private static async Task<long> PaymentsDoneAsync(PinnedClient worker)
    {
        using var response = await worker.Client.GetAsync("/api/v1/admin/consumers");
        response.EnsureSuccessStatusCode();
        Assert.Equal(worker.Id, response.Headers.GetValues(ServedBy).Single());
        var consumers = await response.Content.ReadFromJsonAsync<JsonElement>();
        var payments = consumers.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "payments");
        return payments.GetProperty("outcomes").TryGetProperty("done", out var done) ? done.GetInt64() : 0;
    }
}
