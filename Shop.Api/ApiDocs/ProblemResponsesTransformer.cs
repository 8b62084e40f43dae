using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.Api.ApiDocs;

/// <summary>
/// Adds the problems the shared pipeline (not the handler) answers with, so each operation lists
/// every status it can return: 400 from the client-text guard and binding, 413 and 415 for
/// bodies, 401 and 403 from authorization, 429 from rate limiting. Every error response gets its
/// problem body (UseStatusCodePages writes one even for a bare NotFound()), and responses named
/// by <see cref="ProblemTypeMetadata"/> are narrowed to their <see cref="ShopProblemTypes"/>.
/// A 500 is not listed: it is a bug, and the contract check should fail on it.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Document is not { } document || context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }
        var problem = await SchemaReferenceAsync<ProblemDetails>(document, context, cancellationToken);
        var validation = await SchemaReferenceAsync<HttpValidationProblemDetails>(document, context, cancellationToken);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];

        Add(operation, StatusCodes.Status400BadRequest, validation,
            "A field of the query, route, headers or body is not acceptable; `errors` names it.");
        if (operation.RequestBody is not null || metadata.OfType<IAcceptsMetadata>().Any())
        {
            Add(operation, StatusCodes.Status413PayloadTooLarge, problem, "The body is larger than 1 MB.");
            Add(operation, StatusCodes.Status415UnsupportedMediaType, problem, "The body is not application/json.");
        }
        if (EndpointAuthorization.RequiresToken(metadata))
        {
            Add(operation, StatusCodes.Status401Unauthorized, problem, "No valid bearer token.");
        }
        if (await EndpointAuthorization.RequiresRoleAsync(metadata, context.ApplicationServices))
        {
            Add(operation, StatusCodes.Status403Forbidden, problem, "The token's user lacks the role this operation needs.");
        }
        var tooMany = Add(operation, StatusCodes.Status429TooManyRequests, problem, "Rate limit reached; retry after Retry-After seconds.");
        tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
        tooMany.Headers.TryAdd("Retry-After", new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
        });

        // Every operation reads or writes Postgres (or Redis with no fallback, for carts): while
        // it is down or restarting the answer is 503 with Retry-After, not a hang or a 500.
        var unavailable = Add(operation, StatusCodes.Status503ServiceUnavailable, problem, "A server the API needs is unavailable; retry after Retry-After seconds.");
        unavailable.Headers ??= new Dictionary<string, IOpenApiHeader>();
        unavailable.Headers.TryAdd("Retry-After", new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
        });

        // The status code pages middleware gives every bodiless error its problem document.
        foreach (var (status, response) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } };
            }
        }

        foreach (var typed in metadata.OfType<ProblemTypeMetadata>().GroupBy(m => m.StatusCode))
        {
            NarrowToTypes(operation, typed.Key, [.. typed.SelectMany(m => m.Types).Distinct()], problem);
        }
    }

    private static OpenApiResponse Add(OpenApiOperation operation, int status, IOpenApiSchema schema, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse known)
        {
            return known;
        }
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
        };
        operation.Responses[key] = response;
        return response;
    }

    private static void NarrowToTypes(OpenApiOperation operation, int status, IReadOnlyList<string> types, IOpenApiSchema problem)
    {
        if (!operation.Responses!.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) || found is not OpenApiResponse response)
        {
            return;
        }
        var prefix = string.IsNullOrEmpty(response.Description) ? "" : $"{response.Description.TrimEnd('.')}. ";
        response.Description = $"{prefix}Problem type: {string.Join(" or ", types.Select(t => $"`{t}`"))}.";
        response.Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new()
            {
                Schema = new OpenApiSchema
                {
                    AllOf =
                    [
                        problem,
                        new OpenApiSchema
                        {
                            Required = new HashSet<string> { "type" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. types.Select(t => (JsonNode)JsonValue.Create(t))] },
                            },
                        },
                    ],
                },
            },
        };
    }

    /// <summary>A reference to the component schema of <typeparamref name="T"/>, adding the component if no endpoint has yet.</summary>
    private static async Task<IOpenApiSchema> SchemaReferenceAsync<T>(OpenApiDocument document, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var id = typeof(T).Name;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent<IOpenApiSchema>(id, await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken));
        }
        return new OpenApiSchemaReference(id, document);
    }
}
