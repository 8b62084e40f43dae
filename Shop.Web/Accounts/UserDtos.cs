namespace Shop.Web.Accounts;

public sealed record UserDto(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset CreatedAt);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, UserDto User);
