extern alias ShopApi;

using System.Text.Json;
using Npgsql;
using ShopApi::Shop.Api.Insights;
using ShopApi::Shop.Api.Orders;
using Shop.BrowserTests.Infrastructure;
using Shop.IntegrationTests.Infrastructure;
using Shop.Seeder;
using Shop.Testing;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// At volume, the API's own order queries (the SQL constants it runs) use index scans: no
/// sequential scan on orders, order_lines or order_status_changes, on page 1 and on a deep page.
/// </summary>
[Collection(StorefrontCollection.Name)]
[RunLast]
public class OrderQueryPlanTests(StorefrontFixture storefront) : IAsyncLifetime
{
    private SeedReport _seeded = null!;

    private static readonly string[] OrderTables = ["orders", "order_lines", "order_status_changes"];
    private const int PageSize = 20;

    private sealed record PlanNode(string NodeType, string? Relation, string? Index, long SharedBlocks);

    private ShopApp Stack => storefront.Shop;

    public async Task InitializeAsync() => _seeded = await OrdersVolume.SeededAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_first_history_page_of_a_big_customer_reads_the_customer_index_without_sequential_scans()
    {
        var customer = _seeded.BigCustomerIds[0];

        var plan = await ExplainAsync(OrderQueries.FirstPageSql, ("customerId", customer), ("limit", PageSize + 1));

        AssertIndexedOnly(plan);
        Assert.Contains(plan, n => n.Relation == "orders" && n.NodeType == "Index Scan" && n.Index == "orders_customer_newest_idx");
    }

    [Fact]
    public async Task A_deep_history_page_of_a_big_customer_reads_the_same_index_and_about_as_much_as_page_1()
    {
        var customer = _seeded.BigCustomerIds[0];
        var orders = await ScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @c", ("c", customer));
        // Page 10,000 at full volume (the biggest customer has 21% of 1M orders); the deepest full page otherwise.
        var deepPage = (int)Math.Min(10_000, orders / PageSize - 1);
        Assert.True(deepPage >= 100, $"the biggest customer has only {orders} orders");
        var (createdAt, id) = await LastOrderBeforeAsync(customer, (long)PageSize * (deepPage - 1));

        var first = await ExplainAsync(OrderQueries.FirstPageSql, ("customerId", customer), ("limit", PageSize + 1));
        var deep = await ExplainAsync(OrderQueries.NextPageSql,
            ("customerId", customer), ("limit", PageSize + 1), ("cursorCreatedAt", createdAt), ("cursorId", id));

        AssertIndexedOnly(deep);
        Assert.Contains(deep, n => n.Relation == "orders" && n.NodeType == "Index Scan" && n.Index == "orders_customer_newest_idx");
        // Keyset, not OFFSET: page N touches about as many buffers as page 1 (counts, not timings).
        var firstBlocks = first.Max(n => n.SharedBlocks);
        var deepBlocks = deep.Max(n => n.SharedBlocks);
        Assert.True(deepBlocks <= firstBlocks * 2 + 20, $"page {deepPage} read {deepBlocks} buffers, page 1 {firstBlocks}");
    }

    [Fact]
    public async Task The_history_page_of_an_ordinary_customer_uses_index_scans()
    {
        var customer = await ScalarAsync<Guid>("SELECT id FROM users WHERE email = @e", ("e", SeedOptions.EmailOf(50_000 % _seeded.Users)));

        AssertIndexedOnly(await ExplainAsync(OrderQueries.FirstPageSql, ("customerId", customer), ("limit", PageSize + 1)));
    }

    [Fact]
    public async Task An_order_by_id_uses_primary_keys_without_sequential_scans()
    {
        var (customer, order) = await ScalarPairAsync("SELECT customer_id, id FROM orders ORDER BY id OFFSET @n LIMIT 1", ("n", (long)_seeded.Orders / 2));

        var plan = await ExplainAsync(OrderQueries.ByIdSql, ("customerId", customer), ("orderId", order));

        AssertIndexedOnly(plan);
        Assert.Contains(plan, n => n.Relation == "orders" && n.NodeType == "Index Scan" && n.Index == "orders_pkey");
    }

    [Fact]
    public async Task The_last_hours_best_sellers_read_one_range_of_the_order_lines_key_not_every_line()
    {
        var now = DateTimeOffset.UtcNow;
        var (from, until) = TopProductsQuery.IdRange(now);

        var plan = await ExplainAsync(TopProductsQuery.Sql, ("from", from), ("until", until));

        var scans = plan.Where(n => n.Relation is not null).ToArray();
        var lines = Assert.Single(scans);
        Assert.Equal("order_lines", lines.Relation);
        Assert.StartsWith("Index", lines.NodeType, StringComparison.Ordinal);
        Assert.Equal("order_lines_pkey", lines.Index);
        // One hour of a million orders spread over two years: a few pages, not the table's.
        Assert.True(lines.SharedBlocks < 200, $"read {lines.SharedBlocks} buffers");
        // The range is the hour's v7 ids: an order of half an hour ago is in it, one of 61 minutes ago is not.
        Assert.InRange(Guid.CreateVersion7(now.AddMinutes(-30)), from, until);
        Assert.True(Guid.CreateVersion7(now.AddMinutes(-61)).CompareTo(from) < 0);
        Assert.True(Guid.CreateVersion7(now).CompareTo(until) < 0);
    }

    private static void AssertIndexedOnly(IReadOnlyList<PlanNode> plan)
    {
        var scans = plan.Where(n => n.Relation is not null).ToArray();
        Assert.All(scans, n => Assert.False(
            OrderTables.Contains(n.Relation) && n.NodeType is "Seq Scan" or "Parallel Seq Scan",
            $"{n.NodeType} on {n.Relation}: {string.Join("; ", scans.Select(s => $"{s.NodeType} {s.Relation} {s.Index}"))}"));
        Assert.Contains(scans, n => n.Relation == "order_lines" && n.NodeType.StartsWith("Index", StringComparison.Ordinal));
        Assert.Contains(scans, n => n.Relation == "order_status_changes" && n.NodeType.StartsWith("Index", StringComparison.Ordinal));
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of the API's statement with real parameter values, flattened.</summary>
    private async Task<IReadOnlyList<PlanNode>> ExplainAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await Stack.ConnectionStringAsync("shopdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var json = (string)(await command.ExecuteScalarAsync())!;
        var nodes = new List<PlanNode>();
        Flatten(JsonDocument.Parse(json).RootElement[0].GetProperty("Plan"), nodes);
        return nodes;
    }

    private static void Flatten(JsonElement node, List<PlanNode> into)
    {
        into.Add(new PlanNode(
            node.GetProperty("Node Type").GetString()!,
            node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            node.TryGetProperty("Index Name", out var index) ? index.GetString() : null,
            (node.TryGetProperty("Shared Hit Blocks", out var hit) ? hit.GetInt64() : 0) + (node.TryGetProperty("Shared Read Blocks", out var read) ? read.GetInt64() : 0)));
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Flatten(child, into);
            }
        }
    }

    private async Task<(DateTime, Guid)> LastOrderBeforeAsync(Guid customer, long skip)
    {
        await using var connection = new NpgsqlConnection(await Stack.ConnectionStringAsync("shopdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT created_at, id FROM orders WHERE customer_id = @c ORDER BY created_at DESC, id DESC OFFSET @skip LIMIT 1", connection);
        command.Parameters.AddWithValue("c", customer);
        command.Parameters.AddWithValue("skip", skip - 1);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetDateTime(0), reader.GetGuid(1));
    }

    private async Task<(Guid, Guid)> ScalarPairAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await Stack.ConnectionStringAsync("shopdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await Stack.ConnectionStringAsync("shopdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
