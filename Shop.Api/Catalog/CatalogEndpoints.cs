using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Api.Catalog;

internal static class CatalogEndpoints
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;

    public static async Task<Results<Created<ProductDto>, ValidationProblem>> CreateProductAsync(
        CreateProductRequest request,
        ProductRepository products,
        ProductEvents events,
        CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var product = await products.InsertAsync(request.ToNewProduct(), cancellationToken);
        await events.PublishCreatedAsync(product);

        return TypedResults.Created($"/api/v1/products/{product.Id}", product);
    }

    public static async Task<Ok<IReadOnlyList<ProductDto>>> ListProductsAsync(
        ProductRepository products,
        CancellationToken cancellationToken,
        int? limit = null)
    {
        var pageSize = Math.Clamp(limit ?? DefaultPageSize, 1, MaxPageSize);
        return TypedResults.Ok(await products.ListNewestAsync(pageSize, cancellationToken));
    }

    public static async Task<Results<Ok<ProductDto>, NotFound>> GetProductAsync(
        Guid id,
        ProductRepository products,
        CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(id, cancellationToken);
        return product is null ? TypedResults.NotFound() : TypedResults.Ok(product);
    }
}
