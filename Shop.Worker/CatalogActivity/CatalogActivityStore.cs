using Dapper;
using Npgsql;

namespace Shop.Worker.CatalogActivity;

/// <summary>Writes catalog_activity. The table belongs to Shop.Api's migrations.</summary>
public sealed class CatalogActivityStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records the event once; returns false when it had already been recorded.</summary>
    public async Task<bool> RecordAsync(ProductCreated message, string processedBy, CancellationToken cancellationToken)
    {
        // ON CONFLICT makes a redelivered message (at-least-once delivery) a no-op.
        const string sql = """
            INSERT INTO catalog_activity (event_id, product_id, product_name, processed_by)
            VALUES (@EventId, @ProductId, @Name, @processedBy)
            ON CONFLICT (event_id) DO NOTHING
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(sql,
            new { message.EventId, message.ProductId, message.Name, processedBy },
            cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
