using Dapper;

namespace Shop.Worker.CatalogActivity;

/// <summary>Writes catalog_activity. The table belongs to Shop.Api's migrations.</summary>
public sealed class CatalogActivityStore
{
    public async Task RecordAsync(MessageContext context, ProductCreated message, string processedBy, CancellationToken cancellationToken)
    {
        // The pipeline de-duplicates by message id; the event id is the table's key as well, so
        // an event published twice under two message ids is still recorded once.
        const string sql = """
            INSERT INTO catalog_activity (event_id, product_id, product_name, processed_by)
            VALUES (@EventId, @ProductId, @Name, @processedBy)
            ON CONFLICT (event_id) DO NOTHING
            """;
        await context.Connection.ExecuteAsync(new CommandDefinition(sql,
            new { message.EventId, message.ProductId, message.Name, processedBy }, context.Transaction, cancellationToken: cancellationToken));
    }
}
