using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.Api.Idempotency;

/// <summary>Documents the required Idempotency-Key header on the endpoints that demand it.</summary>
internal sealed class IdempotencyKeyOpenApiTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresIdempotencyKey>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyOptions.HeaderName,
            In = ParameterLocation.Header,
            Required = true,
            Description = "A client-chosen unique key (e.g. a UUID) reused on retries. Same key and body: the first response "
                + "is replayed (Idempotent-Replayed: true); another body: 422; first request still running: 409. Kept 24 h per customer.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyOptions.MaxKeyLength },
        });
        return Task.CompletedTask;
    }
}
