using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Api.ApiDocs;
using Shop.Api.Idempotency;

namespace Shop.Api.Orders;

public static class OrdersExtensions
{
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<OutboxWriter>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderPlacement>();
        builder.Services.AddSingleton<OrderQueries>();
        return builder;
    }

    /// <summary>Maps checkout and the signed-in customer's order history under /api/v1/orders.</summary>
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/orders").WithTags(ApiTags.Orders).RequireAuthorization(AuthPolicies.Customer);

        orders.MapPost("/", OrderEndpoints.CheckoutAsync).RequireIdempotencyKey(claimedInEndpointTransaction: true)
            .WithName("Checkout")
            .WithSummary("Places an order from the given lines, or from the cart when there are none.")
            .ProducesProblemType(StatusCodes.Status409Conflict, ShopProblemTypes.OutOfStock, ShopProblemTypes.IdempotencyKeyInFlight)
            .ProducesProblemType(StatusCodes.Status422UnprocessableEntity, ShopProblemTypes.IdempotencyKeyReused);
        orders.MapGet("/", OrderEndpoints.ListOrdersAsync).WithName("ListOrders")
            .WithSummary("The signed-in customer's orders, newest first, one keyset page at a time.");
        orders.MapGet("/{id:guid}", OrderEndpoints.GetOrderAsync).WithName("GetOrder")
            .WithSummary("One of the signed-in customer's orders with its lines and status timeline.");

        return app;
    }
}
