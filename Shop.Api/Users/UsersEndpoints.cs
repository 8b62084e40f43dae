using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Shop.Api.Users.SignInLimits;

namespace Shop.Api.Users;

internal static class UsersEndpoints
{
    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UserRepository users, IPasswordHasher<UserAccount> hasher, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var account = new UserAccount(Guid.CreateVersion7(), request.Email!.Trim(), request.DisplayName!.Trim(), Roles.Customer, "", DateTime.UtcNow);
        var created = await users.TryInsertAsync(account with { PasswordHash = hasher.HashPassword(account, request.Password!) }, cancellationToken);
        if (created is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                type: ShopProblemTypes.EmailTaken,
                title: "Email already registered",
                detail: "An account with this email exists; sign in instead.",
                extensions: new Dictionary<string, object?> { ["field"] = "email" });
        }

        return TypedResults.Created($"/api/v1/users/{created.Id}", created.ToDto());
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, UserRepository users, IPasswordHasher<UserAccount> hasher, TokenIssuer tokens,
        SignInThrottle throttle, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0 || request.Email!.Length > RegisterRequest.MaxEmailLength || request.Password!.Length > RegisterRequest.MaxPasswordLength)
        {
            return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : InvalidCredentials();
        }

        // Counted and, over the limit, refused before the lookup and the hash: a guessing burst
        // costs a Redis round trip per attempt, and unknown and known emails are refused alike.
        var permit = await throttle.AcquireAsync(request.Email, httpContext.Connection.RemoteIpAddress);
        if (permit.RetryAfter is { } wait)
        {
            return TooManyAttempts(httpContext, wait);
        }

        var user = await users.FindByEmailAsync(request.Email.Trim(), cancellationToken);
        // Unknown email still pays for one hash, so response time does not reveal who has an account.
        var verdict = hasher.VerifyHashedPassword(user ?? DummyAccount.Value, user?.PasswordHash ?? DummyAccount.Hash, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return InvalidCredentials();
        }

        await throttle.ReleaseAsync(permit);
        return TypedResults.Ok(tokens.Issue(user));
    }

    public static async Task<Results<Ok<UserDto>, NotFound>> MeAsync(ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(principal.GetUserId(), cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user.ToDto());
    }

    private static ProblemHttpResult TooManyAttempts(HttpContext httpContext, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-in attempts",
            detail: $"Too many failed sign-ins for this account or from this address; try again in {seconds} s.");
    }

    private static ProblemHttpResult InvalidCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Invalid credentials",
        detail: "The email or password is wrong.");

    private static class DummyAccount
    {
        public static readonly UserAccount Value = new(Guid.Empty, "", "", Roles.Customer, "", DateTime.MinValue);
        public static readonly string Hash = new PasswordHasher<UserAccount>().HashPassword(Value, Guid.NewGuid().ToString());
    }
}
