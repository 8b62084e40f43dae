using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

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
                title: "Email already registered",
                detail: "An account with this email exists; sign in instead.",
                extensions: new Dictionary<string, object?> { ["field"] = "email" });
        }

        return TypedResults.Created($"/api/v1/users/{created.Id}", created.ToDto());
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, UserRepository users, IPasswordHasher<UserAccount> hasher, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors["email"] = ["Email is required."];
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Password is required."];
        }
        if (errors.Count > 0 || request.Email!.Length > RegisterRequest.MaxEmailLength || request.Password!.Length > RegisterRequest.MaxPasswordLength)
        {
            return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : InvalidCredentials();
        }

        var user = await users.FindByEmailAsync(request.Email.Trim(), cancellationToken);
        // Unknown email still pays for one hash, so response time does not reveal who has an account.
        var verdict = hasher.VerifyHashedPassword(user ?? DummyAccount.Value, user?.PasswordHash ?? DummyAccount.Hash, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return InvalidCredentials();
        }

        return TypedResults.Ok(tokens.Issue(user));
    }

    public static async Task<Results<Ok<UserDto>, NotFound>> MeAsync(ClaimsPrincipal principal, UserRepository users, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(principal.GetUserId(), cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user.ToDto());
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
