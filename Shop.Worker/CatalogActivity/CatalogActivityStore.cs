namespace Shop.Worker.CatalogActivity;

/// <summary>Writes catalog_activity. The table belongs to Shop.Api's migrations.</summary>
public sealed class CatalogActivityStore
{
    // The pipeline de-duplicates by message id; the event id is the table's key as well, so
    // an event published twice under two message ids is still recorded once.
    private const string RecordSql = """
        INSERT INTO catalog_activity (event_id, product_id, product_name, processed_by)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>A write only: it travels with the delivery's commit.</summary>
    public void Record(MessageContext context, ProductCreated message, string processedBy) =>
        context.WriteOnCommit(new NpgsqlBatchCommand(RecordSql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = message.EventId },
                new NpgsqlParameter<Guid> { TypedValue = message.ProductId },
                new NpgsqlParameter<string> { TypedValue = message.Name },
                new NpgsqlParameter<string> { TypedValue = processedBy },
            },
        });
}
