using System.Security.Claims;

namespace Shop.Web.Accounts;

/// <summary>Reads the shopper out of the auth cookie's principal.</summary>
public static class ShopperClaims
{
    public const string AdminRole = "admin";

    public static Guid? ShopperId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(ClaimTypes.Email) ?? "you";
}
