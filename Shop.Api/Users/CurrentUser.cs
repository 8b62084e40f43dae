using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Shop.Api.Users;

public static class CurrentUser
{
    /// <summary>The signed-in user's id (the token's <c>sub</c>). Only call behind an authorization policy.</summary>
    public static Guid GetUserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The principal has no user id; is the endpoint missing RequireAuthorization?");
}
