using Shop.Api.ApiDocs;

namespace Shop.Api.CatalogActivity;

/// <summary>What Shop.Worker recorded about catalog events, read back for people and tests.</summary>
public static class CatalogActivityExtensions
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;

    public static IHostApplicationBuilder AddCatalogActivity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogActivityRepository>();
        return builder;
    }

    /// <summary>Maps GET /api/v1/catalog/activity?limit=20 (newest first, at most 100).</summary>
    public static IEndpointRouteBuilder MapCatalogActivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/catalog").WithTags(ApiTags.CatalogActivity)
            .MapGet("/activity", async (CatalogActivityRepository activity, CancellationToken cancellationToken, int? limit) =>
                TypedResults.Ok(await activity.ListRecentAsync(
                    Math.Clamp(limit ?? DefaultPageSize, 1, MaxPageSize), cancellationToken)))
            .WithName("ListCatalogActivity")
            .WithSummary("Recent catalog events as Shop.Worker recorded them, newest first.");

        return app;
    }
}
