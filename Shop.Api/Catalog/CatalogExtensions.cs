using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Api.Catalog;

public static class CatalogExtensions
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProductRepository>();
        builder.Services.AddSingleton<ProductEvents>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Maps the product endpoints under /api/v1/products.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/v1/products").WithTags("Catalog");

        products.MapPost("/", CatalogEndpoints.CreateProductAsync);
        products.MapGet("/", CatalogEndpoints.ListProductsAsync);
        products.MapGet("/{id:guid}", CatalogEndpoints.GetProductAsync);

        return app;
    }
}
