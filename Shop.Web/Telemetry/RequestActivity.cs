using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Shop.Web.Telemetry;

/// <summary>
/// Spans of the storefront's own work ("Shop.Web", exported with every "Shop.*" source).
/// </summary>
/// <remarks>
/// Blazor starts the span of each component event as a trace of its own, only linked to the HTTP
/// request it runs in (its ComponentsActivitySource creates them without a parent). For a
/// server-rendered form post that cuts the request off from what the handler calls: a checkout's
/// trace would start at the event, and the storefront's POST /checkout would be a separate trace.
/// <see cref="StartInRequest"/> puts the work back under the request, linked to Blazor's span.
/// </remarks>
public static class RequestActivity
{
    public static readonly ActivitySource Source = new("Shop.Web");

    /// <summary>
    /// A span that is a child of <paramref name="httpContext"/>'s request span (when there is one:
    /// static server rendering), else of the current span (an interactive circuit's event).
    /// </summary>
    public static Activity? StartInRequest(string name, HttpContext? httpContext)
    {
        var request = httpContext?.Features.Get<IHttpActivityFeature>()?.Activity;
        if (request is null || request.IsStopped)
        {
            return Source.StartActivity(name);
        }
        ActivityLink[]? links = Activity.Current is { } current && current != request ? [new ActivityLink(current.Context)] : null;
        return Source.StartActivity(name, ActivityKind.Internal, request.Context, links: links);
    }
}
