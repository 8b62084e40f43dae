using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Web.Api;

namespace Shop.Web.Cart;

/// <summary>
/// The cart's form posts (add, change quantity, remove): plain HTML forms with antiforgery that
/// redirect back (post/redirect/get), so they work without JavaScript and a reload never resubmits.
/// </summary>
public static class CartEndpoints
{
    public static IEndpointRouteBuilder MapCartForms(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/cart").RequireAuthorization();
        cart.MapPost("/add", AddAsync);
        cart.MapPost("/update", UpdateAsync);
        cart.MapPost("/remove", RemoveAsync);
        return app;
    }

    // Adding what is already in the cart adds to its quantity, as shoppers expect.
    private static async Task<RedirectHttpResult> AddAsync([FromForm] Guid productId, [FromForm] int? quantity, [FromForm] string? returnUrl,
        CartApiClient carts, CancellationToken cancellationToken)
    {
        var back = Accounts.ShopperSignIn.SafeReturnUrl(returnUrl ?? $"/products/{productId}");
        return await RunAsync(back, async () =>
        {
            var current = await carts.GetAsync(cancellationToken);
            var existing = current.Lines.FirstOrDefault(l => l.ProductId == productId)?.Quantity ?? 0;
            await carts.SetQuantityAsync(productId, Math.Clamp(existing + (quantity ?? 1), 1, CartApiClient.MaxQuantity), cancellationToken);
        }, "added");
    }

    private static Task<RedirectHttpResult> UpdateAsync([FromForm] Guid productId, [FromForm] int quantity,
        CartApiClient carts, CancellationToken cancellationToken) =>
        RunAsync("/cart", () => quantity <= 0
            ? carts.RemoveLineAsync(productId, cancellationToken)
            : carts.SetQuantityAsync(productId, Math.Min(quantity, CartApiClient.MaxQuantity), cancellationToken), "updated");

    private static Task<RedirectHttpResult> RemoveAsync([FromForm] Guid productId, CartApiClient carts, CancellationToken cancellationToken) =>
        RunAsync("/cart", () => carts.RemoveLineAsync(productId, cancellationToken), "removed");

    /// <summary>Runs the change and redirects back with the outcome as a query flag the page turns into words.</summary>
    private static async Task<RedirectHttpResult> RunAsync(string back, Func<Task> change, string successFlag)
    {
        string outcome;
        try
        {
            await change();
            outcome = $"cart={successFlag}";
        }
        catch (ApiUnavailableException)
        {
            outcome = "cart=unavailable";
        }
        catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
        {
            outcome = "cart=unknown-product";
        }
        catch (ApiProblemException)
        {
            outcome = "cart=rejected";
        }
        var separator = back.Contains('?') ? '&' : '?';
        return TypedResults.Redirect(back + separator + outcome);
    }
}
