using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Api.Cart;

internal static class CartEndpoints
{
    public static async Task<Ok<CartDto>> GetCartAsync(ClaimsPrincipal user, CartReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ReadAsync(user.GetUserId(), cancellationToken));

    public static async Task<Results<Ok<CartDto>, ValidationProblem, ProblemHttpResult>> SetQuantityAsync(
        string productId,
        SetCartQuantityRequest? request,
        ClaimsPrincipal user,
        CartStore store,
        CartCatalog catalog,
        CartReader reader,
        BusinessMetrics metrics,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrderLimits.ProductIdError(productId, out var id) is { } idError)
        {
            errors["productId"] = [idError];
        }
        if (OrderLimits.QuantityError(request?.Quantity) is { } quantityError)
        {
            errors["quantity"] = [quantityError];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await catalog.IsForSaleAsync(id, cancellationToken))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown product",
                detail: $"No product with id {id} is for sale.",
                extensions: new Dictionary<string, object?> { ["productId"] = id });
        }

        var customerId = user.GetUserId();
        var written = await store.SetQuantityAsync(customerId, id, (int)request!.Quantity!.Value, OrderLimits.MaxLines);
        if (written == CartWrite.Started)
        {
            metrics.CartStarted();
        }
        if (written == CartWrite.Full)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                type: ShopProblemTypes.CartFull,
                title: "Cart is full",
                detail: $"A cart holds at most {OrderLimits.MaxLines} distinct products; remove one or check out first.");
        }
        return TypedResults.Ok(await reader.ReadAsync(customerId, cancellationToken));
    }

    public static async Task<Results<Ok<CartDto>, ValidationProblem>> RemoveLineAsync(
        string productId,
        ClaimsPrincipal user,
        CartStore store,
        CartReader reader,
        CancellationToken cancellationToken)
    {
        if (OrderLimits.ProductIdError(productId, out var id) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["productId"] = [idError] });
        }

        var customerId = user.GetUserId();
        await store.RemoveAsync(customerId, id);
        return TypedResults.Ok(await reader.ReadAsync(customerId, cancellationToken));
    }

    public static async Task<NoContent> ClearAsync(ClaimsPrincipal user, CartStore store)
    {
        await store.ClearAsync(user.GetUserId());
        return TypedResults.NoContent();
    }
}
