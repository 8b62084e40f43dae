using Shop.Api.ApiDocs;

namespace Shop.Api.Cart;

public static class CartExtensions
{
    public static IHostApplicationBuilder AddCart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CartStore>();
        builder.Services.AddSingleton<CartCatalog>();
        builder.Services.AddSingleton<CartReader>();
        return builder;
    }

    /// <summary>Maps the signed-in customer's cart under /api/v1/cart.</summary>
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/v1/cart").WithTags(ApiTags.Cart)
            .RequireAuthorization(AuthPolicies.Customer)
            .AddEndpointFilter<RedisUnavailableFilter>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        cart.MapGet("/", CartEndpoints.GetCartAsync).WithName("GetCart")
            .WithSummary("The signed-in customer's cart with current names and prices.");
        cart.MapPut("/lines/{productId}", CartEndpoints.SetQuantityAsync).WithName("SetCartLine")
            .WithSummary("Sets a product's quantity in the cart (adds the line if new).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemType(StatusCodes.Status409Conflict, ShopProblemTypes.CartFull);
        cart.MapDelete("/lines/{productId}", CartEndpoints.RemoveLineAsync).WithName("RemoveCartLine")
            .WithSummary("Removes a product from the cart.");
        cart.MapDelete("/", CartEndpoints.ClearAsync).WithName("ClearCart")
            .WithSummary("Empties the cart.");

        return app;
    }
}
