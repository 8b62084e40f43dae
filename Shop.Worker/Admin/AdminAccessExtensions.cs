using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Shop.Worker.Admin;

/// <summary>
/// The worker's operations endpoints (dead-letter replay, consumer and payment statistics) accept
/// the shop's own admin tokens, issued by Shop.Api and checked with the signing key the AppHost
/// gives both services (Auth__SigningKey): no second credential to manage, and a customer's token
/// gets 403.
/// </summary>
public static class AdminAccessExtensions
{
    public const string Policy = "admin";

    public static IHostApplicationBuilder AddAdminAccess(this IHostApplicationBuilder builder)
    {
        var signingKey = builder.Configuration["Auth:SigningKey"];
        if (signingKey is null || signingKey.Length < ShopTokens.MinimumKeyLength)
        {
            // As in Shop.Api: without the shared key no admin token could ever be checked.
            throw new InvalidOperationException($"Auth:SigningKey (Auth__SigningKey) must be set to the API's JWT signing key, at least {ShopTokens.MinimumKeyLength} characters.");
        }
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false; // keep "role" as issued
            ShopTokens.Apply(jwt.TokenValidationParameters, signingKey);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireRole(ShopTokens.AdminRole));
        return builder;
    }
}
