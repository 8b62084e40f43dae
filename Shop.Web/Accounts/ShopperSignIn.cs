using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Shop.Web.Api;

namespace Shop.Web.Accounts;

/// <summary>
/// Turns the API's token into the web's auth cookie: the claims the pages need plus the token
/// itself, encrypted with the data-protection keys every replica shares. The web keeps no
/// session of its own, so any replica serves the shopper.
/// </summary>
public static class ShopperSignIn
{
    public static async Task SignInAsync(this HttpContext context, TokenResponse token)
    {
        var user = token.User;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(ClaimTypes.Role, user.Role),
        ], CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);

        var properties = new AuthenticationProperties
        {
            IsPersistent = true,
            // The cookie is worth exactly as long as the token it carries.
            ExpiresUtc = token.ExpiresAt,
        };
        properties.StoreTokens([new AuthenticationToken { Name = AccessTokenHandler.TokenName, Value = token.AccessToken }]);

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
    }

    /// <summary>Only paths of this site: an open redirect would let a phishing link use our sign-in page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
