namespace Shop.Web.Catalog;

public static class CatalogApiClientExtensions
{
    /// <summary>
    /// "api" is the AppHost's name for Shop.Api; service discovery turns it into the address
    /// from configuration (services:api:https:0, else services:api:http:0), and the
    /// ServiceDefaults' resilience handler retries transient failures.
    /// </summary>
    public const string ApiBaseAddress = "https+http://api";

    public static IHostApplicationBuilder AddCatalogApiClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<CatalogApiClient>(client => client.BaseAddress = new Uri(ApiBaseAddress));
        return builder;
    }
}
