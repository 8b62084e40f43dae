using System.Net.Mail;

namespace Shop.Api.Users;

/// <summary>Body of POST /api/v1/users. Nullable so a missing field is a validation problem naming it.</summary>
public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxEmailLength = 254; // RFC 5321 path limit
    public const int MaxDisplayNameLength = 100;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (EmailRules.Problem(Email) is { } emailProblem)
        {
            errors["email"] = [emailProblem];
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors["password"] = ["Password is required."];
        }
        else if (Password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            errors["password"] = [$"Password must be {MinPasswordLength} to {MaxPasswordLength} characters."];
        }

        var displayName = DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName))
        {
            errors["displayName"] = ["Display name is required."];
        }
        else if (displayName.Length > MaxDisplayNameLength || displayName.Any(char.IsControl))
        {
            errors["displayName"] = [$"Display name must be at most {MaxDisplayNameLength} printable characters."];
        }

        return errors;
    }
}

public sealed record SignInRequest(string? Email, string? Password);

internal static class EmailRules
{
    public static string? Problem(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Email is required.";
        }
        if (email.Length > RegisterRequest.MaxEmailLength)
        {
            return $"Email must be at most {RegisterRequest.MaxEmailLength} characters.";
        }
        // MailAddress accepts display-name forms ("Bob <b@x>"); require the bare address.
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email.Trim()
            ? null
            : "Email is not a valid address.";
    }
}
