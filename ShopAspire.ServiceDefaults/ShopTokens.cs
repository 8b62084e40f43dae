using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The shop's access tokens: HS256 JWTs that Shop.Api issues and every service that accepts them
/// validates the same way (eShop keeps its token validation in ServiceDefaults for that reason).
/// The key is the AppHost's generated "jwt-signing-key", passed as Auth__SigningKey.
/// </summary>
public static class ShopTokens
{
    public const string Issuer = "shop-api";
    public const string Audience = "shop";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";
    public const string AdminRole = "admin";

    /// <summary>HMAC-SHA256 needs 256 bits: a shorter key is refused at start.</summary>
    public const int MinimumKeyLength = 32;

    public static SymmetricSecurityKey SigningKey(string key) => new(Encoding.UTF8.GetBytes(key));

    /// <summary>Issuer, audience, key and claim types as Shop.Api issues them; 30 s clock skew between machines.</summary>
    public static void Apply(TokenValidationParameters parameters, string signingKey)
    {
        parameters.ValidIssuer = Issuer;
        parameters.ValidAudience = Audience;
        parameters.IssuerSigningKey = SigningKey(signingKey);
        parameters.NameClaimType = NameClaim;
        parameters.RoleClaimType = RoleClaim;
        parameters.ClockSkew = TimeSpan.FromSeconds(30);
    }
}
