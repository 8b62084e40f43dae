namespace Shop.Web.Features;

/// <summary>
/// A stable, random id for a browser (cookie <c>shop.visitor</c>, one year), so an anonymous
/// shopper lands in the same side of a percentage rollout on every visit and every replica.
/// </summary>
public static class VisitorId
{
    public const string CookieName = "shop.visitor";
    private static readonly object ItemKey = new();

    public static string Get(HttpContext context) =>
        context.Items[ItemKey] as string ?? context.Request.Cookies[CookieName] ?? "anonymous";

    /// <summary>Issues the cookie on the first page a browser asks for (before the response starts).</summary>
    public static IApplicationBuilder UseVisitorId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var id = context.Request.Cookies[CookieName];
        // Only pages get the cookie: a Set-Cookie on images, scripts or probes would stop
        // browsers and CDNs from caching them, and only pages evaluate feature flags.
        if ((string.IsNullOrEmpty(id) || id.Length > 64) && IsPageRequest(context.Request))
        {
            id = Guid.NewGuid().ToString("N");
            context.Response.Cookies.Append(CookieName, id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
            });
        }
        if (id is not null)
        {
            context.Items[ItemKey] = id;
        }
        await next(context);
    });

    private static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
