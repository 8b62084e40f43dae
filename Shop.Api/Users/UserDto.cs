namespace Shop.Api.Users;

public sealed record UserDto(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt);

public sealed record TokenResponse(string AccessToken, DateTime ExpiresAt, UserDto User);

/// <summary>A user row including the hash; never leaves this slice.</summary>
internal sealed record UserAccount(Guid Id, string Email, string DisplayName, string Role, string PasswordHash, DateTime CreatedAt)
{
    public UserDto ToDto() => new(Id, Email, DisplayName, Role, CreatedAt);
}
