namespace Shop.Web.Api;

/// <summary>
/// Tells the API which shopper a call is for by address (X-Forwarded-For), as a proxy would: the
/// API limits sign-in attempts and requests per client address, and without this every shopper
/// would be the web server, so one guesser would lock everybody out. The API believes the header
/// only from trusted proxies (ForwardedHeadersExtensions in the service defaults).
/// </summary>
internal sealed class ForwardedForHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    public const string HeaderName = "X-Forwarded-For";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Null in a circuit's later events (no request then): the call goes out as the web's own.
        if (httpContextAccessor.HttpContext?.Connection.RemoteIpAddress is { } shopper && !request.Headers.Contains(HeaderName))
        {
            request.Headers.Add(HeaderName, shopper.ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
