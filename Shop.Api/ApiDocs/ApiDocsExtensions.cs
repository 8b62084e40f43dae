using Scalar.AspNetCore;

namespace Shop.Api.ApiDocs;

public static class ApiDocsExtensions
{
    /// <summary>
    /// The OpenAPI document, generated from the endpoints' typed results and metadata; the
    /// transformers add what the shared pipeline answers (problems, security). The contract
    /// tests replay real traffic against it and lint it, so it has to stay true.
    /// </summary>
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
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
