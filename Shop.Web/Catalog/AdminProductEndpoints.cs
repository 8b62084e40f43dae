using System.Net;
using Shop.Web.Accounts;
using Shop.Web.Api;

namespace Shop.Web.Catalog;

/// <summary>The admin's "remove product" form post (antiforgery-checked), then back to the list.</summary>
public static class AdminProductEndpoints
{
    public static IEndpointRouteBuilder MapAdminProductForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/products/{id:guid}/delete", async (Guid id, CatalogApiClient catalog, CancellationToken cancellationToken) =>
        {
            string outcome;
            try
            {
                await catalog.DeleteProductAsync(id, cancellationToken);
                outcome = "deleted";
            }
            catch (ApiUnavailableException)
            {
                outcome = "unavailable";
            }
            catch (ApiProblemException e) when (e.Status == HttpStatusCode.NotFound)
            {
                outcome = "not-found";
            }
            return TypedResults.Redirect($"/admin/products?outcome={outcome}");
        })
        .RequireAuthorization(policy => policy.RequireRole(ShopperClaims.AdminRole))
        .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return app;
    }
}
