namespace Shop.Worker.CatalogActivity;

public static class CatalogActivityRecorderExtensions
{
    /// <summary>Consumes ProductCreated events and records each one in catalog_activity.</summary>
    public static IHostApplicationBuilder AddCatalogActivityRecorder(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new WorkerIdentity(WorkerIdentity.Describe(builder)));
        builder.Services.AddSingleton<CatalogActivityStore>();
        builder.AddConsumer<ProductCreated, ProductCreatedHandler>(new ConsumerSettings(ProductCreatedHandler.Consumer, "worker.catalog-activity", [ShopEvents.ProductCreated])
        {
            Prefetch = 16,
            Concurrency = 2,
            MaxAttempts = 5,
            RetryDelay = TimeSpan.FromSeconds(2),
        });
        return builder;
    }
}
