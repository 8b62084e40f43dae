using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Api.Idempotency;
using Shop.Api.Outbox;

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
        var orders = app.MapGroup("/api/v1/orders").WithTags("Orders").RequireAuthorization(AuthPolicies.Customer);

        orders.MapPost("/", OrderEndpoints.CheckoutAsync).RequireIdempotencyKey();
        orders.MapGet("/", OrderEndpoints.ListOrdersAsync);
        orders.MapGet("/{id:guid}", OrderEndpoints.GetOrderAsync);

        return app;
    }
}
