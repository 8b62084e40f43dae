namespace Shop.Api.Catalog.DemoCatalog;

public static class DemoCatalogExtensions
{
    /// <summary>Configuration key: false skips the demo catalog (the AppHost passes ShopAspire:SeedDemoCatalog on).</summary>
    public const string SettingKey = "Shop:SeedDemoCatalog";

    /// <summary>
    /// In Development only, and unless <see cref="SettingKey"/> is false: seeds the demo catalog
    /// once (<see cref="DemoCatalogSeeder"/>) and keeps /health not ready until it is in.
    /// </summary>
    public static IHostApplicationBuilder AddDemoCatalog(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() || !builder.Configuration.GetValue(SettingKey, defaultValue: true))
        {
            return builder;
        }

        builder.Services.AddSingleton<DemoCatalogSeeder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoCatalogSeeder>());
        builder.Services.AddHealthChecks().AddCheck<DemoCatalogHealthCheck>(
            "demo-catalog", tags: [DefaultHealthCheckExtensions.ReadyTag]);
        return builder;
    }
}
