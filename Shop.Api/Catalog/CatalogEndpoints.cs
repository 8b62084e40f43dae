using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Api.Catalog;

internal static class CatalogEndpoints
{
    public static async Task<Ok<IReadOnlyList<CategoryDto>>> ListCategoriesAsync(CatalogReader catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListCategoriesAsync(cancellationToken));

    public static async Task<Results<Ok<Page<ProductDto>>, ValidationProblem>> ListProductsAsync(
        [AsParameters] ProductListParameters parameters,
        CatalogReader catalog,
        CancellationToken cancellationToken)
    {
        if (!parameters.TryParse(out var query, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await catalog.ListProductsAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<ProductDto>, NotFound>> GetProductAsync(Guid id, CatalogReader catalog, CancellationToken cancellationToken)
    {
        var product = await catalog.GetProductAsync(id, cancellationToken);
        return product is null ? TypedResults.NotFound() : TypedResults.Ok(product);
    }

    public static async Task<Results<Created<ProductDto>, ValidationProblem>> CreateProductAsync(
        ProductRequest request,
        ProductRepository products,
        CatalogReader catalog,
        ProductEvents events,
        CancellationToken cancellationToken)
    {
        var (categoryId, errors) = await ValidateAsync(request, products, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var product = await products.InsertAsync(request.ToChange(Guid.CreateVersion7(), categoryId), cancellationToken);
        await catalog.InvalidateProductAsync(product.Id, CancellationToken.None);
        await events.PublishCreatedAsync(product);

        return TypedResults.Created($"/api/v1/products/{product.Id}", product);
    }

    public static async Task<Results<Ok<ProductDto>, NotFound, ValidationProblem>> UpdateProductAsync(
        Guid id,
        ProductRequest request,
        ProductRepository products,
        CatalogReader catalog,
        CancellationToken cancellationToken)
    {
        var (categoryId, errors) = await ValidateAsync(request, products, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var product = await products.UpdateAsync(request.ToChange(id, categoryId), cancellationToken);
        if (product is null)
        {
            return TypedResults.NotFound();
        }

        // Not the request's token: the change is committed, so the caches must hear of it.
        await catalog.InvalidateProductAsync(id, CancellationToken.None);
        return TypedResults.Ok(product);
    }

    public static async Task<Results<NoContent, NotFound>> DeleteProductAsync(
        Guid id,
        ProductRepository products,
        CatalogReader catalog,
        CancellationToken cancellationToken)
    {
        if (!await products.SoftDeleteAsync(id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await catalog.InvalidateProductAsync(id, CancellationToken.None);
        return TypedResults.NoContent();
    }

    /// <summary>Generated SVG; revalidated with its ETag so unchanged images cost a 304.</summary>
    public static async Task<Results<ContentHttpResult, StatusCodeHttpResult, NotFound>> GetProductImageAsync(
        Guid id,
        HttpContext context,
        CatalogReader catalog,
        CancellationToken cancellationToken)
    {
        var product = await catalog.GetProductAsync(id, cancellationToken);
        if (product is null)
        {
            return TypedResults.NotFound();
        }

        var etag = ProductImage.ETagFor(product);
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = ProductImage.CacheControl;
        if (ProductImage.Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        // An SVG opened directly is a document: forbid scripts in it whatever it contains.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Text(ProductImage.Render(product), ProductImage.ContentType);
    }

    private static async Task<(Guid? CategoryId, Dictionary<string, string[]> Errors)> ValidateAsync(
        ProductRequest request, ProductRepository products, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        Guid? categoryId = null;
        if (!errors.ContainsKey("categorySlug") && request.CategorySlug is { } slug)
        {
            categoryId = await products.FindCategoryIdAsync(slug.Trim().ToLowerInvariant(), cancellationToken);
            if (categoryId is null)
            {
                errors["categorySlug"] = [$"There is no category '{slug}'; GET /api/v1/categories lists them."];
            }
        }

        return (categoryId, errors);
    }
}
