using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Api.ApiDocs;

namespace Shop.Api.Catalog;

public static class CatalogExtensions
{
    /// <summary>Catalog services; reads go through the cache registered by AddCaching.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProductRepository>();
        builder.Services.AddSingleton<CatalogReader>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Maps /api/v1/categories and /api/v1/products.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/categories", CatalogEndpoints.ListCategoriesAsync)
            .WithTags(ApiTags.Catalog).WithName("ListCategories").WithSummary("All categories, by name.");

        var products = app.MapGroup("/api/v1/products").WithTags(ApiTags.Catalog);

        products.MapGet("/", CatalogEndpoints.ListProductsAsync).WithName("ListProducts")
            .WithSummary("Newest products first, one keyset page at a time.");
        products.MapGet("/{id:guid}", CatalogEndpoints.GetProductAsync).WithName("GetProduct")
            .WithSummary("One product that is for sale.");
        products.MapGet("/{id:guid}/image", CatalogEndpoints.GetProductImageAsync).WithName("GetProductImage")
            .WithSummary("The product's generated SVG image (ETag; 304 when unchanged).")
            .Produces<string>(StatusCodes.Status200OK, ProductImage.ContentType)
            .Produces(StatusCodes.Status304NotModified);

        // 401 and 403 come from the authorization metadata (ApiDocs' ProblemResponsesTransformer).
        var admin = products.MapGroup("").RequireAuthorization(AuthPolicies.Admin);
        admin.MapPost("/", CatalogEndpoints.CreateProductAsync).WithName("CreateProduct")
            .WithSummary("Adds a product (admin).");
        admin.MapPut("/{id:guid}", CatalogEndpoints.UpdateProductAsync).WithName("UpdateProduct")
            .WithSummary("Replaces a product's fields (admin).");
        admin.MapDelete("/{id:guid}", CatalogEndpoints.DeleteProductAsync).WithName("DeleteProduct")
            .WithSummary("Takes a product off sale (admin); its orders keep it.");

        return app;
    }
}
