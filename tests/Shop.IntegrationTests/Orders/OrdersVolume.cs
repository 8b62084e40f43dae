using Shop.Seeder;
using Shop.Testing;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// Order volume seeded once by Shop.Seeder's code into the storefront stack's database once its
/// browser tests are done ([RunLast]), so the query-plan tests see the planner's choices at scale
/// without a stack of their own (a stack costs a minute of a 2-core machine), without slowing
/// another collection's tests, and not after the load gate on the failure drills' stack, which
/// ends the suite.
/// Volume: SHOP_VOLUME_ORDERS (default 1,000,000), with 100k products and 100k customers.
/// </summary>
public static class OrdersVolume
{
    public const int DefaultOrders = 1_000_000;

    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static SeedReport? _seeded;

    public static int Orders =>
        int.TryParse(Environment.GetEnvironmentVariable("SHOP_VOLUME_ORDERS"), out var orders) && orders > 0 ? orders : DefaultOrders;

    public static async Task<SeedReport> SeededAsync(ShopApp stack)
    {
        await Seeding.WaitAsync();
        try
        {
            return _seeded ??= await new ShopSeeder(await stack.ConnectionStringAsync("shopdb"), new SeedOptions { Orders = Orders }, TextWriter.Null).SeedAsync();
        }
        finally
        {
            Seeding.Release();
        }
    }
}
