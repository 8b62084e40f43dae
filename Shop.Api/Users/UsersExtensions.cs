using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.Api.ApiDocs;
using Shop.Api.Users.SignInLimits;

namespace Shop.Api.Users;

public static class UsersExtensions
{
    /// <summary>Accounts, password hashing, JWT issuing and validation, and the authorization policies.</summary>
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        // ASP.NET Core Identity's hasher: PBKDF2-HMAC-SHA512, 100k iterations, salted, versioned.
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<UserRepository>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddHostedService<AdminBootstrap>();
        builder.Services.AddOptions<SignInLimitOptions>()
            .BindConfiguration(SignInLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<LocalWindowCounters>();
        builder.Services.AddSingleton<SignInThrottle>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                // Keep "sub" and "role" as issued instead of mapping them to long WS-* claim URIs.
                jwt.MapInboundClaims = false;
                ShopTokens.Apply(jwt.TokenValidationParameters, auth.Value.SigningKey);
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Customer, policy => policy.RequireAuthenticatedUser().RequireClaim("sub"))
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        return builder;
    }

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags(ApiTags.Users);
        users.MapPost("/", UsersEndpoints.RegisterAsync).WithName("Register")
            .WithSummary("Creates a customer account.")
            .ProducesProblemType(StatusCodes.Status409Conflict, ShopProblemTypes.EmailTaken);
        // 429 here is also the sign-in throttle's (per account and address), besides the rate limit.
        users.MapPost("/token", UsersEndpoints.SignInAsync).WithName("SignIn")
            .WithSummary("Signs in: a bearer token for the email and password.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        users.MapGet("/me", UsersEndpoints.MeAsync).RequireAuthorization(AuthPolicies.Customer)
            .WithName("GetCurrentUser").WithSummary("The signed-in user.");
        return app;
    }
}
