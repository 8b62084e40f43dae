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
        var cart = app.MapGroup("/api/v1/cart").WithTags("Cart")
            .RequireAuthorization(AuthPolicies.Customer)
            .AddEndpointFilter<RedisUnavailableFilter>();

        cart.MapGet("/", CartEndpoints.GetCartAsync);
        cart.MapPut("/lines/{productId}", CartEndpoints.SetQuantityAsync);
        cart.MapDelete("/lines/{productId}", CartEndpoints.RemoveLineAsync);
        cart.MapDelete("/", CartEndpoints.ClearAsync);

        return app;
    }
}
