using Dapper;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Measuring;
using Shop.Benchmarks.WorksVsScales.Reporting;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// A deep page of a customer's order history (90% of the way down the big customer's orders):
/// OFFSET n LIMIT 20 vs a keyset cursor. Both walk the same index, orders_customer_newest_idx
/// (customer_id, created_at DESC, id DESC); OFFSET has to walk and throw away n entries (and
/// fetch their rows) before it returns anything, the keyset query starts the walk right after
/// the cursor. The shop's order history (OrderQueries.NextPageSql) is the keyset kind.
/// </summary>
public sealed class OffsetVsKeyset(BenchContext context) : IComparison
{
    public const string Key = "offset_vs_keyset";
    private const int PageSize = 20;
    private const double Depth = 0.9;

    private const string OffsetPage = """
        SELECT id, status, total, created_at AS createdat
        FROM orders
        WHERE customer_id = @customerId AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC
        OFFSET @offset LIMIT @pageSize
        """;

    private const string KeysetPage = """
        SELECT id, status, total, created_at AS createdat
        FROM orders
        WHERE customer_id = @customerId AND deleted_at IS NULL
          AND (created_at, id) < (@afterCreatedAt, @afterId)
        ORDER BY created_at DESC, id DESC
        LIMIT @pageSize
        """;

    private sealed record OrderSummary(Guid Id, string Status, decimal Total, DateTime CreatedAt);

    public async Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken)
    {
        var history = data.BigCustomerHistory;
        var options = context.Options;
        // Round r reads the page that starts at row `deep + r`: a different page each round (so
        // nothing is answered from a cached plan result), all equally deep. The keyset side gets
        // the cursor a client would hold there: the last row of the page before.
        var deep = (int)(history.Count * Depth);
        var distinctPages = Math.Max(1, Math.Min(options.WarmupRounds + options.Rounds, history.Count - deep - PageSize));
        int OffsetOf(int round) => deep + (round % distinctPages);

        async Task<List<OrderSummary>> OffsetAsync(int round)
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            return (await connection.QueryAsync<OrderSummary>(new CommandDefinition(OffsetPage,
                new { customerId = data.BigCustomerId, offset = OffsetOf(round), pageSize = PageSize }, cancellationToken: cancellationToken))).AsList();
        }

        async Task<List<OrderSummary>> KeysetAsync(int round)
        {
            var after = history[OffsetOf(round) - 1];
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            return (await connection.QueryAsync<OrderSummary>(new CommandDefinition(KeysetPage,
                new { customerId = data.BigCustomerId, afterCreatedAt = after.CreatedAt, afterId = after.Id, pageSize = PageSize }, cancellationToken: cancellationToken))).AsList();
        }

        // Both sides must return the same page, or the comparison means nothing.
        SameRows.Check(Key, (await OffsetAsync(0)).Select(o => o.Id), (await KeysetAsync(0)).Select(o => o.Id));
        var (offsetPlan, keysetPlan) = await ExplainAsync(data, OffsetOf(0), history[OffsetOf(0) - 1], cancellationToken);

        var summaries = await SideBySide.MeasureAsync(options.WarmupRounds, options.Rounds,
            new Side("OFFSET", OffsetAsync),
            new Side("keyset", KeysetAsync));
        return
        [
            new PairResult(Key, Key, "Offset vs keyset pages", data.Orders,
                "OFFSET n LIMIT 20", summaries[0], "keyset (created_at, id) < cursor", summaries[1],
                [new Figure("offset_rows", deep.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. offsetPlan.Figures("naive"), .. keysetPlan.Figures("scalable")]),
        ];
    }

    private async Task<(QueryPlan Offset, QueryPlan Keyset)> ExplainAsync(SeededData data, int offset, OrderKey after, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
        var offsetPlan = await QueryPlan.ExplainAsync(connection, OffsetPage,
            new Dictionary<string, object> { ["customerId"] = data.BigCustomerId, ["offset"] = offset, ["pageSize"] = PageSize }, cancellationToken);
        var keysetPlan = await QueryPlan.ExplainAsync(connection, KeysetPage,
            new Dictionary<string, object> { ["customerId"] = data.BigCustomerId, ["afterCreatedAt"] = after.CreatedAt, ["afterId"] = after.Id, ["pageSize"] = PageSize }, cancellationToken);
        return (offsetPlan, keysetPlan);
    }
}
