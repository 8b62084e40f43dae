using System.Net;
using Microsoft.Net.Http.Headers;
using Shop.Web.Api;

namespace Shop.Web.Catalog;

/// <summary>
/// GET /images/products/{id}: the product's picture, proxied from Shop.Api (whose address is
/// private to the app model) with caching headers, so browsers and CDNs keep it.
/// </summary>
public static class ProductImageEndpoint
{
    // Picture URLs carry the product's version (?v=updatedAt), so a cached copy can live long.
    private const string VersionedCacheControl = "public, max-age=604800";
    private const string UnversionedCacheControl = "public, max-age=300";
    private const string FallbackCacheControl = "public, max-age=60";

    public static IEndpointRouteBuilder MapProductImages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/products/{id:guid}", ServeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task ServeAsync(Guid id, HttpContext context, CatalogApiClient catalog)
    {
        var response = context.Response;
        var versioned = context.Request.Query.ContainsKey("v");
        try
        {
            using var upstream = await catalog.GetImageAsync(id, context.Request.Headers.IfNoneMatch, context.RequestAborted);
            if (upstream.StatusCode == HttpStatusCode.NotModified || upstream.IsSuccessStatusCode)
            {
                response.StatusCode = (int)upstream.StatusCode;
                response.Headers.CacheControl = versioned ? VersionedCacheControl
                    : upstream.Headers.CacheControl?.ToString() ?? UnversionedCacheControl;
                if (upstream.Headers.ETag is { } etag)
                {
                    response.Headers.ETag = etag.ToString();
                }
                if (upstream.StatusCode == HttpStatusCode.NotModified)
                {
                    return;
                }
                response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
                response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
                await upstream.Content.CopyToAsync(response.Body, context.RequestAborted);
                return;
            }
        }
        catch (ApiUnavailableException)
        {
            // Already logged; a placeholder beats a broken image icon.
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = FallbackCacheControl;
        response.ContentType = "image/svg+xml";
        await response.WriteAsync(Placeholder, context.RequestAborted);
    }

    private const string Placeholder =
        """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><rect width="400" height="300" fill="#eaeef2"/><text x="200" y="158" font-family="sans-serif" font-size="20" fill="#656d76" text-anchor="middle">No picture</text></svg>""";
}
