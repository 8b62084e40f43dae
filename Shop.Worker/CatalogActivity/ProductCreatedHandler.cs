namespace Shop.Worker.CatalogActivity;

/// <summary>catalog.product-created → one row in catalog_activity, naming the worker that recorded it.</summary>
public sealed class ProductCreatedHandler(CatalogActivityStore store, WorkerIdentity identity) : IEventHandler<ProductCreated>
{
    public const string Consumer = "catalog-activity";

    public async Task<HandleResult> HandleAsync(ProductCreated message, MessageContext context, CancellationToken stoppingToken)
    {
        await store.RecordAsync(context, message, identity.Name, stoppingToken);
        return HandleResult.Done;
    }
}
