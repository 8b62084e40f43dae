using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shop.Api.ApiDocs;

namespace Shop.Api.Analytics;

/// <summary>Paid orders and revenue per minute, as the worker's analytics consumer records them.</summary>
public sealed record OrdersPerMinute(DateTime Minute, string Currency, int Orders, decimal Revenue);

public static class OrderAnalyticsExtensions
{
    private const int MaxMinutes = 24 * 60;

    /// <summary>GET /api/v1/analytics/orders-per-minute?minutes=60 (1..1440): newest minute first.</summary>
    public static RouteHandlerBuilder MapOrderAnalyticsApi(this WebApplication app) =>
        app.MapGet("/api/v1/analytics/orders-per-minute", async Task<Results<Ok<IReadOnlyList<OrdersPerMinute>>, ValidationProblem>> (
            NpgsqlDataSource dataSource, CancellationToken cancellationToken, int? minutes) =>
        {
            if (minutes is < 1 or > MaxMinutes)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = [$"Must be between 1 and {MaxMinutes}."] });
            }
            const string sql = """
                SELECT minute, trim(currency) AS currency, sum(orders)::int AS orders, sum(revenue) AS revenue
                FROM order_analytics_minutes
                WHERE minute >= date_trunc('minute', now()) - make_interval(mins => @minutes)
                GROUP BY minute, currency
                ORDER BY minute DESC, currency
                """;
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<OrdersPerMinute>(new CommandDefinition(sql, new { minutes = minutes ?? 60 }, cancellationToken: cancellationToken));
            return TypedResults.Ok<IReadOnlyList<OrdersPerMinute>>(rows.AsList());
        })
        .WithTags(ApiTags.Operations)
        .WithName("GetOrdersPerMinute")
        .WithSummary("Paid orders and revenue per minute and currency, newest minute first (admin).");
}
