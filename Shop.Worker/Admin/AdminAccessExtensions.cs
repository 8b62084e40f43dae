using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Worker.Admin;

/// <summary>
/// The worker's operations endpoints (dead-letter replay, consumer and payment statistics) accept
/// the shop's own admin tokens: JWTs issued by Shop.Api (issuer "shop-api", audience "shop") with
/// the "admin" role, checked with the signing key the AppHost gives both services
/// (Auth__SigningKey). No second credential to manage, and a customer's token gets 403.
/// </summary>
public static class AdminAccessExtensions
{
    public const string Policy = "admin";

    private const string Issuer = "shop-api";
    private const string Audience = "shop";
    private const string AdminRole = "admin";

    public static IHostApplicationBuilder AddAdminAccess(this IHostApplicationBuilder builder)
    {
        var signingKey = builder.Configuration["Auth:SigningKey"];
        if (signingKey is not { Length: >= 32 })
        {
            // Same rule as Shop.Api: without the shared key no admin token could ever be checked.
            throw new InvalidOperationException("Auth:SigningKey (Auth__SigningKey) must be set to the API's JWT signing key, at least 32 characters.");
        }
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                NameClaimType = "name",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireRole(AdminRole));
        return builder;
    }
}
