using Scalar.AspNetCore;

namespace Shop.Api.ApiDocs;

public static class ApiDocsExtensions
{
    /// <summary>The OpenAPI document, generated from the endpoints' typed results.</summary>
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<BearerSecurityTransformer>();
        });
        return builder;
    }

    /// <summary>/openapi/v1.json and a browsable reference at /scalar/v1.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("ShopAspire API"));
        return app;
    }
}
