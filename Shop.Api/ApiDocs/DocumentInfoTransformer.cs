using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.Api.ApiDocs;

/// <summary>The document's title, description, tag descriptions and (relative) server address.</summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    /// <summary>Every tag an endpoint uses, described (a tag without one is an undocumented area).</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        [ApiTags.Users] = "Registration, sign-in (bearer tokens) and the signed-in user.",
        [ApiTags.Catalog] = "Categories and products; reading is anonymous, changing needs an admin token.",
        [ApiTags.CatalogActivity] = "Catalog events as Shop.Worker recorded them.",
        [ApiTags.Cart] = "The signed-in customer's cart, kept in Redis (503 while Redis is down).",
        [ApiTags.Orders] = "Checkout (with an Idempotency-Key) and the signed-in customer's orders.",
        [ApiTags.Operations] = "Admin views of the outbox and of order analytics.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "ShopAspire API";
        document.Info.Description = "Catalog, users, cart and orders. Errors are RFC 9457 problem details; "
            + "the problems a client must tell apart carry a `type` URN (urn:shopaspire:problem:...). "
            + "Sign in with POST /api/v1/users/token and send the accessToken as a Bearer token.";
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && Tags.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }
        // The API is served where its document is. The address this request came in on (a
        // container's, a test's localhost, a host behind a proxy) is no address to give a client.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The origin this document was fetched from." }];
        return Task.CompletedTask;
    }
}

/// <summary>The tags the endpoints group under; each is described in <see cref="DocumentInfoTransformer.Tags"/>.</summary>
public static class ApiTags
{
    public const string Users = "Users";
    public const string Catalog = "Catalog";
    public const string CatalogActivity = "Catalog activity";
    public const string Cart = "Cart";
    public const string Orders = "Orders";
    public const string Operations = "Operations";
}
