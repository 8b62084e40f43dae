using Npgsql;

namespace Shop.Worker.CatalogActivity;

/// <summary>
/// catalog.product-created → one row in catalog_activity. Retries, dead letters, tracing and the
/// graceful stop come from the shared <see cref="QueueConsumer{THandler}"/>; the row's primary key
/// (event_id) makes a redelivered event a no-op.
/// </summary>
public sealed partial class ProductCreatedHandler(
    CatalogActivityStore store,
    WorkerIdentity identity,
    ILogger<ProductCreatedHandler> logger) : IMessageHandler
{
    public const string Consumer = "catalog-activity";

    public async Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken)
    {
        var created = ProductCreated.TryParse(message.Body, out var problem);
        if (created is null)
        {
            return HandleResult.Poison(problem!);
        }
        try
        {
            if (!await store.RecordAsync(created, identity.Name, stoppingToken))
            {
                LogDuplicate(created.EventId);
            }
            return HandleResult.Done;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Run without an AppHost the worker may start before the API's migrations created the
            // table: that passes with time, so wait without counting towards the poison limit.
            return HandleResult.Defer("catalog_activity does not exist yet (Shop.Api's migrations create it)");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} was already recorded (redelivery); nothing to do.")]
    private partial void LogDuplicate(Guid eventId);
}
