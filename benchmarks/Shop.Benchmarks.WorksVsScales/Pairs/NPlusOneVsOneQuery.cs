using Dapper;
using Shop.Benchmarks.WorksVsScales.Data;
using Shop.Benchmarks.WorksVsScales.Measuring;
using Shop.Benchmarks.WorksVsScales.Reporting;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// A page of 50 orders with their lines. Naive: one query for the page, then one query per order
/// for its lines (1 + 50 round trips, the shape an ORM's lazy loading produces). Scalable: one
/// statement that joins the page to its lines. Each query is an index lookup either way, so the
/// cost is the round trips: it does not grow with the table, it grows with the page size and
/// with the network between the app and the database. The shop's OrderQueries reads a page in
/// one statement.
/// </summary>
public sealed class NPlusOneVsOneQuery(BenchContext context) : IComparison
{
    public const string Key = "n_plus_one_vs_one_query";
    private const int PageSize = 50;

    private const string OrdersPage = """
        SELECT id, status, total, created_at AS createdat
        FROM orders
        WHERE customer_id = @customerId AND deleted_at IS NULL
          AND (created_at, id) < (@afterCreatedAt, @afterId)
        ORDER BY created_at DESC, id DESC
        LIMIT @pageSize
        """;

    // Served by order_lines' primary key (order_id, line_no).
    private const string LinesOfOneOrder = """
        SELECT order_id AS orderid, line_no AS lineno, product_name AS productname, unit_price AS unitprice, quantity
        FROM order_lines
        WHERE order_id = @orderId
        ORDER BY line_no
        """;

    // The same page, joined to its lines in the database: one round trip.
    private const string PageWithLines = $"""
        WITH page AS ({OrdersPage})
        SELECT p.id, p.status, p.total, p.createdat,
               l.order_id AS orderid, l.line_no AS lineno, l.product_name AS productname, l.unit_price AS unitprice, l.quantity
        FROM page p
        JOIN order_lines l ON l.order_id = p.id
        ORDER BY p.createdat DESC, p.id DESC, l.line_no
        """;

    private sealed record OrderSummary(Guid Id, string Status, decimal Total, DateTime CreatedAt);

    private sealed record Line(Guid OrderId, int LineNo, string ProductName, decimal UnitPrice, int Quantity);

    private sealed record OrderWithLines(OrderSummary Order, List<Line> Lines);

    public async Task<IReadOnlyList<PairResult>> RunAsync(SeededData data, CancellationToken cancellationToken)
    {
        var history = data.BigCustomerHistory;
        var options = context.Options;
        // Each round reads a page starting at a random place in the big customer's history.
        var random = new Random(2);
        var starts = Enumerable.Range(0, options.WarmupRounds + options.Rounds)
            .Select(_ => history[random.Next(history.Count - PageSize - 1)]).ToArray();
        object PageParameters(int round) => new
        {
            customerId = data.BigCustomerId,
            afterCreatedAt = starts[round].CreatedAt,
            afterId = starts[round].Id,
            pageSize = PageSize,
        };

        async Task<List<OrderWithLines>> OnePlusNAsync(int round)
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            var orders = await connection.QueryAsync<OrderSummary>(new CommandDefinition(OrdersPage, PageParameters(round), cancellationToken: cancellationToken));
            var page = new List<OrderWithLines>(PageSize);
            foreach (var order in orders)
            {
                var lines = await connection.QueryAsync<Line>(new CommandDefinition(LinesOfOneOrder, new { orderId = order.Id }, cancellationToken: cancellationToken));
                page.Add(new OrderWithLines(order, lines.AsList()));
            }
            return page;
        }

        async Task<List<OrderWithLines>> OneQueryAsync(int round)
        {
            await using var connection = await context.Database.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<OrderSummary, Line, (OrderSummary Order, Line Line)>(
                new CommandDefinition(PageWithLines, PageParameters(round), cancellationToken: cancellationToken),
                (order, line) => (order, line),
                splitOn: "orderid");
            return [.. rows.GroupBy(r => r.Order.Id).Select(g => new OrderWithLines(g.First().Order, [.. g.Select(r => r.Line)]))];
        }

        SameRows.Check(Key,
            (await OnePlusNAsync(0)).SelectMany(o => o.Lines),
            (await OneQueryAsync(0)).SelectMany(o => o.Lines));

        var summaries = await SideBySide.MeasureAsync(options.WarmupRounds, options.Rounds,
            new Side("1 + N", OnePlusNAsync),
            new Side("one query", OneQueryAsync));
        return
        [
            new PairResult(Key, Key, "N+1 vs one query", data.Orders,
                $"1 + {PageSize} queries", summaries[0], "one query (join)", summaries[1],
                [new Figure("round_trips_naive", $"{1 + PageSize}"), new Figure("round_trips_scalable", "1")]),
        ];
    }
}
