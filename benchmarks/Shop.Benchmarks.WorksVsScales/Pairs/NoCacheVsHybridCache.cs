extern alias ShopApi;

using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Measuring;
using Shop.Benchmarks.WorksVsScales.Reporting;
using ShopApi::Shop.Api.Catalog;
using ShopApi::Shop.Api.Outbox;
using ShopApi::Shop.Api.Paging;
using ShopAspire.Messaging.Outbox;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// The catalog's first page (the shop's own ProductRepository and keyset SQL) read from Postgres
/// every time vs through HybridCache set up as Shop.Api sets it up: L1 in this process, L2 in
/// the stack's Redis. Measured three ways, interleaved: Postgres, an L1 hit, and an L2 hit (L1
/// skipped per call, as a replica whose L1 is cold or expired would read it). The page query
/// itself is already an index walk, so the cache saves the round trip and the row mapping, and
/// above all the database's work: every hit is a query Postgres does not run.
/// </summary>
public sealed class NoCacheVsHybridCache(BenchContext context) : IComparison
{
    public const string L1Key = "no_cache_vs_l1_cache";
    public const string L2Key = "no_cache_vs_l2_cache";
    public const string ChartKey = "no_cache_vs_hybrid_cache";

    private static readonly ProductListQuery FirstPage = new(PageSize: 20, After: null, CategorySlug: null, Search: null, MinPrice: null, MaxPrice: null);

    // Read from Redis and deserialized on every call, never kept in this process.
    private static readonly HybridCacheEntryOptions L2Only = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableLocalCacheWrite,
    };

    public async Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken)
    {
        await using var services = CacheServices();
        var cache = services.GetRequiredService<HybridCache>();
        var products = new ProductRepository(context.Database, new OutboxWriter(), TimeProvider.System);
        // One key per size, so a page cached at the previous size is never served.
        var key = $"catalog:first-page:{data.Orders}";

        Task<Page<ProductDto>> FromPostgresAsync(int round) => products.ListAsync(FirstPage, cancellationToken);

        Task<Page<ProductDto>> ThroughCacheAsync(HybridCacheEntryOptions? options) => cache.GetOrCreateAsync(
            key, products, async (repository, ct) => await repository.ListAsync(FirstPage, ct), options, cancellationToken: cancellationToken).AsTask();

        var fresh = await FromPostgresAsync(0);
        SameRows.Check(L1Key, fresh.Items.Select(p => p.Id), (await ThroughCacheAsync(null)).Items.Select(p => p.Id));
        SameRows.Check(L2Key, fresh.Items.Select(p => p.Id), (await ThroughCacheAsync(L2Only)).Items.Select(p => p.Id));

        var summaries = await SideBySide.MeasureAsync(context.Options.WarmupRounds, context.Options.Rounds,
            new Side("Postgres every time", FromPostgresAsync),
            new Side("L1 hit", _ => ThroughCacheAsync(null)),
            new Side("L2 hit", _ => ThroughCacheAsync(L2Only)));
        const string naive = "Postgres every time";
        return
        [
            new PairResult(L1Key, ChartKey, "No cache vs two-level cache", data.Orders, naive, summaries[0], "HybridCache L1 hit", summaries[1], []),
            new PairResult(L2Key, ChartKey, "No cache vs two-level cache", data.Orders, naive, summaries[0], "HybridCache L2 hit (Redis)", summaries[2], []),
        ];
    }

    /// <summary>HybridCache over Redis with Shop.Api's entry options (5 min, 30 s in L1), under a prefix of its own.</summary>
    private ServiceProvider CacheServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStackExchangeRedisCache(options =>
        {
            options.Configuration = context.RedisConnectionString;
            options.InstanceName = "bench:cache:";
        });
        services.AddHybridCache(options => options.DefaultEntryOptions = new HybridCacheEntryOptions
        {
            Expiration = TimeSpan.FromMinutes(5),
            LocalCacheExpiration = TimeSpan.FromSeconds(30),
        });
        return services.BuildServiceProvider();
    }
}
