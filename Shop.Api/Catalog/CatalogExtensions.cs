using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Api.Catalog;

public static class CatalogExtensions
{
    /// <summary>Catalog services; reads go through the cache registered by AddCaching.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProductRepository>();
        builder.Services.AddSingleton<CatalogReader>();
        builder.Services.AddSingleton<ProductEvents>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Maps /api/v1/categories and /api/v1/products.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/categories", CatalogEndpoints.ListCategoriesAsync)
            .WithTags("Catalog").WithName("ListCategories");

        var products = app.MapGroup("/api/v1/products").WithTags("Catalog");

        products.MapGet("/", CatalogEndpoints.ListProductsAsync).WithName("ListProducts")
            .WithSummary("Newest products first, one keyset page at a time.");
        products.MapGet("/{id:guid}", CatalogEndpoints.GetProductAsync).WithName("GetProduct");
        products.MapGet("/{id:guid}/image", CatalogEndpoints.GetProductImageAsync).WithName("GetProductImage")
            .Produces(StatusCodes.Status200OK, contentType: ProductImage.ContentType)
            .Produces(StatusCodes.Status304NotModified);

        var admin = products.MapGroup("").RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapPost("/", CatalogEndpoints.CreateProductAsync).WithName("CreateProduct");
        admin.MapPut("/{id:guid}", CatalogEndpoints.UpdateProductAsync).WithName("UpdateProduct");
        admin.MapDelete("/{id:guid}", CatalogEndpoints.DeleteProductAsync).WithName("DeleteProduct");

        return app;
    }
}
