using Scalar.AspNetCore;

namespace Shop.Api.ApiDocs;

public static class ApiDocsExtensions
{
    /// <summary>The OpenAPI document, generated from the endpoints' typed results.</summary>
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ShopAspire API";
            document.Info.Description = "Catalog, users, cart and orders. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));
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
