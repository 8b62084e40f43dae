namespace Shop.Worker.CatalogActivity;

/// <summary>catalog.product-created → one row in catalog_activity, naming the worker that recorded it.</summary>
public sealed class ProductCreatedHandler(CatalogActivityStore store, WorkerIdentity identity) : IEventHandler<ProductCreated>
{
    public const string Consumer = "catalog-activity";

    public Task<HandleResult> HandleAsync(ProductCreated message, MessageContext context, CancellationToken stoppingToken)
    {
        store.Record(context, message, identity.Name);
        return Task.FromResult(HandleResult.Done);
    }
}
