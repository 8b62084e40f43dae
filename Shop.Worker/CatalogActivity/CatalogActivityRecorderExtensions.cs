namespace Shop.Worker.CatalogActivity;

public static class CatalogActivityRecorderExtensions
{
    /// <summary>
    /// Consumes ProductCreated events and records each one in catalog_activity.
    /// Needs AddNpgsqlDataSource and AddRabbitMQClient first.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogActivityRecorder(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new WorkerIdentity(WorkerIdentity.Describe(builder)));
        builder.Services.AddSingleton<CatalogActivityStore>();
        builder.Services.AddSingleton<ProductCreatedHandler>();
        builder.Services.AddHostedService<ProductCreatedConsumer>();
        return builder;
    }
}
