using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Antiforgery;
using StackExchange.Redis;

namespace Shop.Web.Accounts;

public static class AuthenticationExtensions
{
    public const string CookieName = ".shop.auth";

    // Every replica reads and writes the same key ring, so a cookie (and an antiforgery token)
    // made by one replica is readable by the others.
    private const string DataProtectionKeysKey = "shop-web:data-protection-keys";

    public static IHostApplicationBuilder AddShopperAuthentication(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("cache");
        // Redis only stores the key ring; a replica that has read it keeps it in memory and serves
        // everything (pages, cookies, antiforgery) through a Redis outage: Redis down is Degraded.
        // Having the keys is what is required (a replica starting while Redis is down has none).
        builder.AddOptionalDependencies(DefaultHealthCheckExtensions.RedisCheckName);
        builder.Services.AddHealthChecks().AddCheck<DataProtectionKeysHealthCheck>(DataProtectionKeysHealthCheck.Name,
            tags: [DefaultHealthCheckExtensions.ReadyTag], timeout: DefaultHealthCheckExtensions.DependencyCheckTimeout);
        builder.Services.AddDataProtection().SetApplicationName("Shop.Web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) =>
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeysKey));

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/forbidden";
                // The API token inside expires after 60 minutes: no sliding past it.
                options.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>POST /signout (antiforgery-checked): drops the cookie, back to the catalog.</summary>
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.Redirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
