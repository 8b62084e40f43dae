using System.Security.Claims;

namespace Shop.Api.Orders;

/// <summary>The signed-in customer's id, as the Users slice puts it into the JWT.</summary>
public static class CustomerIdentity
{
    /// <summary>
    /// The user id from <c>sub</c>. JwtBearer maps <c>sub</c> to <see cref="ClaimTypes.NameIdentifier"/>
    /// unless inbound claim mapping is off, so both are accepted.
    /// </summary>
    public static Guid? FindCustomerId(this ClaimsPrincipal user)
    {
        var value = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
        return Guid.TryParse(value, out var id) ? id : null;
    }

    /// <summary>For endpoints behind the "customer" policy, where a user id is guaranteed.</summary>
    public static Guid GetCustomerId(this ClaimsPrincipal user) =>
        user.FindCustomerId() ?? throw new InvalidOperationException("The authenticated user has no 'sub' claim; is the endpoint missing RequireAuthorization?");
}
