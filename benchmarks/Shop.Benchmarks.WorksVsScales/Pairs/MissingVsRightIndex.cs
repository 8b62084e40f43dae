using Dapper;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Measuring;
using Shop.Benchmarks.WorksVsScales.Reporting;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// A customer's 20 newest orders, on a copy of orders that has no index vs on the shop's orders
/// with its orders_customer_newest_idx (customer_id, created_at DESC, id DESC). Without the
/// index Postgres reads every row of the table to find one customer's and sorts them; with it,
/// it walks 20 index entries. Same rows, same query text; only the table differs. The copy is
/// the benchmark's own (the shop's indexes are left alone).
/// </summary>
public sealed class MissingVsRightIndex(BenchContext context) : IComparison
{
    public const string Key = "missing_vs_right_index";
    private const string Unindexed = "bench_orders_without_index";
    private const string Indexed = "orders";

    private static string CustomerOrders(string table) => $"""
        SELECT id, status, total, created_at AS createdat
        FROM {table}
        WHERE customer_id = @customerId AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC
        LIMIT 20
        """;

    private sealed record OrderSummary(Guid Id, string Status, decimal Total, DateTime CreatedAt);

    public async Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken)
    {
        await CopyOrdersWithoutIndexesAsync(cancellationToken);

        var options = context.Options;
        // An ordinary customer per round (not the big one): about 0.009% of the table each.
        var random = new Random(3);
        var customers = Enumerable.Range(0, options.WarmupRounds + options.Rounds)
            .Select(_ => data.Customers[1 + random.Next(data.Customers.Count - 1)]).ToArray();

        Func<int, Task<List<OrderSummary>>> On(string table) => async round =>
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            return (await connection.QueryAsync<OrderSummary>(new CommandDefinition(
                CustomerOrders(table), new { customerId = customers[round] }, cancellationToken: cancellationToken))).AsList();
        };
        var withoutIndex = On(Unindexed);
        var withIndex = On(Indexed);
        SameRows.Check(Key, await withoutIndex(0), await withIndex(0));

        QueryPlan naivePlan, scalablePlan;
        await using (var connection = await context.Database.OpenConnectionAsync(cancellationToken))
        {
            var parameters = new Dictionary<string, object> { ["customerId"] = customers[0] };
            naivePlan = await QueryPlan.ExplainAsync(connection, CustomerOrders(Unindexed), parameters, cancellationToken);
            scalablePlan = await QueryPlan.ExplainAsync(connection, CustomerOrders(Indexed), parameters, cancellationToken);
        }

        var summaries = await SideBySide.MeasureAsync(options.WarmupRounds, options.Rounds,
            new Side("no index", withoutIndex),
            new Side("right index", withIndex));
        return
        [
            new PairResult(Key, Key, "Missing vs right index", data.Orders,
                "no index", summaries[0], "orders_customer_newest_idx", summaries[1],
                [.. naivePlan.Figures("naive"), .. scalablePlan.Figures("scalable")]),
        ];
    }

    /// <summary>The same rows in a table with no index at all (CREATE TABLE AS copies data, not indexes).</summary>
    private async Task CopyOrdersWithoutIndexesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            DROP TABLE IF EXISTS {Unindexed};
            CREATE TABLE {Unindexed} AS SELECT * FROM orders;
            """, commandTimeout: 0, cancellationToken: cancellationToken));
        // On its own: VACUUM cannot run inside the implicit transaction of a multi-statement command.
        await connection.ExecuteAsync(new CommandDefinition($"VACUUM (ANALYZE) {Unindexed}", commandTimeout: 0, cancellationToken: cancellationToken));
    }
}
