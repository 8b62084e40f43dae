using System.Text.Json;
using Dapper;
using Npgsql;

namespace Shop.Api.Orders;

/// <summary>
/// Reads orders with their lines and timeline in ONE SQL statement whatever the page size:
/// the lines and status changes are aggregated per order by correlated subqueries that use the
/// (order_id, ...) primary keys, so there is no query per order (no N+1).
/// </summary>
public sealed class OrderQueries(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // Shared by both queries. Exposed so the query-plan test EXPLAINs exactly what the API runs.
    private const string SelectOrders = """
        SELECT o.id, o.status, o.total, trim(o.currency) AS currency, o.created_at AS createdat, o.updated_at AS updatedat,
               COALESCE((SELECT json_agg(json_build_object(
                                 'productId', l.product_id, 'productName', l.product_name,
                                 'unitPrice', l.unit_price, 'quantity', l.quantity) ORDER BY l.line_no)
                         FROM order_lines l WHERE l.order_id = o.id), '[]') AS lines,
               COALESCE((SELECT json_agg(json_build_object(
                                 'status', s.status, 'at', s.at, 'reason', s.reason) ORDER BY s.at, s.status)
                         FROM order_status_changes s WHERE s.order_id = o.id), '[]') AS timeline
        FROM orders o
        """;

    /// <summary>Page 1 of a customer's history; served by orders_customer_newest_idx.</summary>
    public const string FirstPageSql = SelectOrders + """

        WHERE o.customer_id = @customerId AND o.deleted_at IS NULL
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT @limit
        """;

    /// <summary>
    /// Any later page: the row comparison starts the index scan right after the cursor, so page
    /// 10,000 reads as few rows as page 1 (no OFFSET).
    /// </summary>
    public const string NextPageSql = SelectOrders + """

        WHERE o.customer_id = @customerId AND o.deleted_at IS NULL
          AND (o.created_at, o.id) < (@cursorCreatedAt, @cursorId)
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT @limit
        """;

    public const string ByIdSql = SelectOrders + """

        WHERE o.id = @orderId AND o.customer_id = @customerId AND o.deleted_at IS NULL
        """;

    /// <summary>Served by orders_customer_idempotency_key.</summary>
    public const string ByIdempotencyKeySql = SelectOrders + """

        WHERE o.customer_id = @customerId AND o.idempotency_key = @idempotencyKey
        """;

    private sealed record OrderRow(Guid Id, string Status, decimal Total, string Currency, DateTime CreatedAt, DateTime UpdatedAt, string Lines, string Timeline);

    private sealed record LineJson(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity);

    private sealed record StatusJson(string Status, DateTimeOffset At, string? Reason);

    public async Task<Page<OrderDto>> ListAsync(Guid customerId, int pageSize, KeysetCursor? cursor, CancellationToken cancellationToken)
    {
        // One extra row tells whether there is a next page without a COUNT.
        var parameters = new DynamicParameters(new { customerId, limit = pageSize + 1 });
        if (cursor is { } c)
        {
            parameters.Add("cursorCreatedAt", c.CreatedAt);
            parameters.Add("cursorId", c.Id);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OrderRow>(new CommandDefinition(
            cursor is null ? FirstPageSql : NextPageSql, parameters, cancellationToken: cancellationToken))).AsList();

        var items = rows.Take(pageSize).Select(ToDto).ToList();
        var next = rows.Count > pageSize ? new KeysetCursor(items[^1].CreatedAt, items[^1].Id).Encode() : null;
        return new Page<OrderDto>(items, next);
    }

    public async Task<OrderDto?> FindAsync(Guid customerId, Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            ByIdSql, new { customerId, orderId }, cancellationToken: cancellationToken));
        return row is null ? null : ToDto(row);
    }

    public async Task<OrderDto?> FindByIdempotencyKeyAsync(Guid customerId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            ByIdempotencyKeySql, new { customerId, idempotencyKey }, cancellationToken: cancellationToken));
        return row is null ? null : ToDto(row);
    }

    private static OrderDto ToDto(OrderRow row) => new(
        row.Id,
        row.Status,
        row.Total,
        row.Currency,
        row.CreatedAt,
        row.UpdatedAt,
        JsonSerializer.Deserialize<List<LineJson>>(row.Lines, JsonOptions)!
            .Select(l => new OrderLineDto(l.ProductId, l.ProductName, l.UnitPrice, l.Quantity, l.UnitPrice * l.Quantity)).ToList(),
        JsonSerializer.Deserialize<List<StatusJson>>(row.Timeline, JsonOptions)!
            .Select(s => new OrderStatusChangeDto(s.Status, s.At.UtcDateTime, s.Reason)).ToList());
}
