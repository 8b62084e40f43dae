using Microsoft.AspNetCore.OpenApi;

namespace Shop.Api.Idempotency;

/// <summary>Marks an endpoint as requiring an Idempotency-Key (see <see cref="IdempotencyMiddleware"/>).</summary>
public sealed class RequiresIdempotencyKey;

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
    public static TBuilder RequireIdempotencyKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresIdempotencyKey());
}
