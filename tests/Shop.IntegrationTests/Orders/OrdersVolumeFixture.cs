using Shop.IntegrationTests.Infrastructure;
using Shop.Seeder;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// A stack of its own, seeded by Shop.Seeder's code with order volume, so the query-plan tests
/// see the planner's choices at scale without slowing the shared stack's tests.
/// Volume: SHOP_VOLUME_ORDERS (default 1,000,000), with 100k products and 100k customers.
/// </summary>
public sealed class OrdersVolumeFixture : IAsyncLifetime
{
    public const int DefaultOrders = 1_000_000;

    public ShopStackFixture Stack { get; } = new();

    public SeedReport Seeded { get; private set; } = null!;

    public static int Orders =>
        int.TryParse(Environment.GetEnvironmentVariable("SHOP_VOLUME_ORDERS"), out var orders) && orders > 0 ? orders : DefaultOrders;

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        Seeded = await new ShopSeeder(await Stack.ConnectionStringAsync("shopdb"), new SeedOptions { Orders = Orders }, TextWriter.Null).SeedAsync();
    }

    public Task DisposeAsync() => Stack.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class OrdersVolumeCollection : ICollectionFixture<OrdersVolumeFixture>
{
    public const string Name = "orders volume stack";
}
