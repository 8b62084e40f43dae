using System.Net;

namespace Shop.Web.Security;

/// <summary>
/// Headers that keep the storefront's pages from being framed, sniffed, leaking their URLs or
/// running anything but its own scripts, on every response (error pages included).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What Blazor (static SSR with streaming, enhanced navigation, one interactive server
    /// component) needs, and nothing more: blazor.web.js and app.css from this origin; its circuit's
    /// WebSocket and fetches to this origin ('self' covers ws: and wss: to the same host); no
    /// inline script or style (the reconnect dialog is ours, in App.razor, so Blazor does not
    /// inject its default one with a style element); no plugins; forms post only here; no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A year; not on subdomains, which this site does not own.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // At the last moment, so an error page (the exception handler clears headers) gets them too.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
                headers["Referrer-Policy"] = "same-origin"; // order and product URLs stay on this site
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (http.Request.IsHttps && !IsLoopback(http.Request.Host.Host))
                {
                    // Only over TLS (a browser ignores it over HTTP anyway), and never for
                    // localhost, where it would pin every local port of a developer's machine to HTTPS.
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
