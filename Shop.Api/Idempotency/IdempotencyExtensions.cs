using Microsoft.AspNetCore.OpenApi;

namespace Shop.Api.Idempotency;

/// <summary>Marks an endpoint as requiring an Idempotency-Key (see <see cref="IdempotencyMiddleware"/>).</summary>
/// <param name="ClaimedInEndpointTransaction">The endpoint claims the key in its own transaction (<see cref="IdempotencyRecord"/>).</param>
public sealed record RequiresIdempotencyKey(bool ClaimedInEndpointTransaction);

public static class IdempotencyExtensions
{
    public static IHostApplicationBuilder AddIdempotency(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection("Idempotency"));
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddHostedService<IdempotencyKeyCleanup>();
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer<IdempotencyKeyOpenApiTransformer>());
        return builder;
    }

    /// <summary>Must come after authentication and authorization: keys are scoped to the signed-in customer.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>Requires an Idempotency-Key on this endpoint and makes retries with it safe.</summary>
    /// <param name="claimedInEndpointTransaction">
    /// The endpoint writes its effect in one transaction and claims the key in it, through the
    /// request's <see cref="IdempotencyRecord"/>: the middleware then only looks the key up, which
    /// saves the claim's own write and commit.
    /// </param>
    public static TBuilder RequireIdempotencyKey<TBuilder>(this TBuilder builder, bool claimedInEndpointTransaction = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresIdempotencyKey(claimedInEndpointTransaction));
}
