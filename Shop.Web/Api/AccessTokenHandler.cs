using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace Shop.Web.Api;

/// <summary>
/// Forwards the signed-in shopper's API token (kept inside the encrypted auth cookie) as a bearer
/// token, so the web app itself stores nothing per shopper.
/// </summary>
internal sealed class AccessTokenHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    public const string TokenName = "access_token";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null
            && httpContextAccessor.HttpContext is { User.Identity.IsAuthenticated: true } context
            && await context.GetTokenAsync(TokenName) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
