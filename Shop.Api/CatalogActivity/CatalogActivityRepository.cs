using Dapper;
using Npgsql;

namespace Shop.Api.CatalogActivity;

/// <summary>Reads catalog_activity; only Shop.Worker writes it.</summary>
public sealed class CatalogActivityRepository(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<CatalogActivityDto>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        // Matches catalog_activity_recent_idx.
        const string sql = """
            SELECT event_id AS EventId, product_id AS ProductId, product_name AS ProductName,
                   recorded_at AS RecordedAt, processed_by AS ProcessedBy
            FROM catalog_activity
            ORDER BY recorded_at DESC
            LIMIT @limit
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CatalogActivityDto>(
            new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
