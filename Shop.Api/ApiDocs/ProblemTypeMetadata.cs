namespace Shop.Api.ApiDocs;

/// <summary>
/// Endpoint metadata: the <see cref="ShopProblemTypes"/> a response with <see cref="StatusCode"/>
/// carries. <see cref="ProblemResponsesTransformer"/> turns it into an enum on the problem's
/// <c>type</c>, so a client (and the contract check) knows exactly which problems to expect.
/// </summary>
public sealed record ProblemTypeMetadata(int StatusCode, IReadOnlyList<string> Types);

public static class ProblemTypeMetadataExtensions
{
    /// <summary>Documents a problem response whose <c>type</c> is one of <paramref name="types"/>.</summary>
    public static TBuilder ProducesProblemType<TBuilder>(this TBuilder builder, int statusCode, params string[] types)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemTypeMetadata(statusCode, types));
        return builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
    }
}
