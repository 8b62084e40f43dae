using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Shop.Api.Idempotency;
using Shop.Api.Cart;

namespace Shop.Api.Orders;

internal static partial class OrderEndpoints
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;

    /// <summary>
    /// POST /api/v1/orders. Runs behind the idempotency middleware, which has found the
    /// Idempotency-Key free; the order's transaction claims it with the 201.
    /// </summary>
    public static async Task<Results<Created<OrderDto>, ValidationProblem, ProblemHttpResult>> CheckoutAsync(
        CheckoutRequest? request,
        ClaimsPrincipal user,
        HttpContext httpContext,
        OrderPlacement placement,
        CartStore cart,
        IOptions<JsonOptions> json,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var customerId = user.GetUserId();
        var fromCart = request?.Lines is null;
        IReadOnlyList<CheckoutLineRequest?> requested = fromCart
            ? (await cart.ReadAsync(customerId)).Select(l => new CheckoutLineRequest(l.ProductId.ToString(), l.Quantity)).ToList()
            : request!.Lines!;

        if (fromCart && requested.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["lines"] = ["The cart is empty: add products to it, or send the lines to order."],
            });
        }

        var errors = CheckoutValidation.Validate(requested, out var lines);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The middleware has checked there is exactly one, valid key.
        var idempotencyKey = httpContext.Request.Headers[Idempotency.IdempotencyOptions.HeaderName].ToString();
        // The key is claimed with the 201 in the order's own transaction: an order never exists
        // without its key's response, and no separate claim or completion is written.
        var record = httpContext.Features.Get<IdempotencyRecord>()
            ?? throw new InvalidOperationException("Checkout must be mapped with RequireIdempotencyKey(claimedInEndpointTransaction: true).");
        StoredResponse? response = null;
        Npgsql.NpgsqlBatchCommand ClaimKey(OrderDto order) =>
            record.ClaimCommand(response = IdempotencyRecord.Json(StatusCodes.Status201Created, order, json.Value.SerializerOptions, LocationOf(order)));
        switch (await placement.PlaceAsync(customerId, idempotencyKey, lines, ClaimKey, cancellationToken))
        {
            case PlacementResult.KeyNotFree:
                // The middleware answers as for the request that holds the key (replay, 422 or 409).
                record.MarkTakenMeanwhile();
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: ShopProblemTypes.IdempotencyKeyInFlight,
                    title: "A request with this idempotency key is still being processed.");

            case PlacementResult.InvalidLines invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Some lines cannot be ordered.");

            case PlacementResult.OutOfStock shortage:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    type: ShopProblemTypes.OutOfStock,
                    title: "Not enough stock",
                    detail: $"Only {shortage.Available} of '{shortage.ProductName}' ({shortage.ProductId}) left; lines[{shortage.LineIndex}] asks for {shortage.Requested}.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["field"] = $"lines[{shortage.LineIndex}].quantity",
                        ["productId"] = shortage.ProductId,
                        ["productName"] = shortage.ProductName,
                        ["available"] = shortage.Available,
                        ["requested"] = shortage.Requested,
                    });

            case PlacementResult.Placed placed:
                // The request's span names its order: the dashboard finds the checkout's trace by it.
                Activity.Current?.SetTag("shop.order.id", placed.Order.Id.ToString());
                if (fromCart)
                {
                    await ClearCartAsync(cart, customerId, loggers.CreateLogger(typeof(OrderEndpoints)));
                }
                if (placed.KeyCompleted && response is not null)
                {
                    record.MarkCompleted(response);
                }
                return TypedResults.Created(LocationOf(placed.Order), placed.Order);

            default:
                throw new InvalidOperationException("Unknown placement result.");
        }
    }

    private static string LocationOf(OrderDto order) => $"/api/v1/orders/{order.Id}";

    public static async Task<Results<Ok<Page<OrderDto>>, ValidationProblem>> ListOrdersAsync(
        ClaimsPrincipal user,
        OrderQueries orders,
        CancellationToken cancellationToken,
        string? pageSize = null,
        string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>();
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"pageSize must be a whole number from 1 to {MaxPageSize}."];
        }
        var after = KeysetCursor.FromQuery(cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await orders.ListAsync(user.GetUserId(), size, after, cancellationToken));
    }

    public static async Task<Results<Ok<OrderDto>, NotFound>> GetOrderAsync(
        Guid id,
        ClaimsPrincipal user,
        OrderQueries orders,
        CancellationToken cancellationToken)
    {
        // Another customer's order is "not found", not "forbidden": its existence is not disclosed.
        var order = await orders.FindAsync(user.GetUserId(), id, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(order);
    }

    /// <summary>The order is placed: a cart that cannot be cleared is a nuisance, not a failed checkout.</summary>
    private static async Task ClearCartAsync(CartStore cart, Guid customerId, ILogger logger)
    {
        try
        {
            await cart.ClearAsync(customerId);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or StackExchange.Redis.RedisTimeoutException)
        {
            LogCartNotCleared(logger, ex, customerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order placed but the cart of customer {CustomerId} could not be cleared.")]
    private static partial void LogCartNotCleared(ILogger logger, Exception exception, Guid customerId);
}
