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
        else if (PasswordRules.Problem(Password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        // Checked before trimming: Trim() would quietly drop a trailing U+0085 (a C1 control).
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            errors["displayName"] = ["Display name is required."];
        }
        else if (ClientText.Problem(DisplayName, "Display name", MaxDisplayNameLength) is { } displayNameProblem)
        {
            errors["displayName"] = [displayNameProblem];
        }

        return errors;
    }
}

public sealed record SignInRequest(string? Email, string? Password)
{
    /// <summary>
    /// Only what must be refused before looking the account up: missing fields, and text that
    /// is no email or password at all (a NUL would fail the query). Too long is not an error
    /// here but wrong credentials, so the answer does not describe the rules.
    /// </summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Email))
        {
            errors["email"] = ["Email is required."];
        }
        else if (ClientText.CharacterProblem(Email, "Email") is { } emailProblem)
        {
            errors["email"] = [emailProblem];
        }
        if (string.IsNullOrEmpty(Password))
        {
            errors["password"] = ["Password is required."];
        }
        else if (PasswordRules.Problem(Password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }
        return errors;
    }
}

internal static class PasswordRules
{
    /// <summary>Any printable text, spaces included; never control characters or broken Unicode.</summary>
    public static string? Problem(string password) => ClientText.CharacterProblem(password, "Password");
}

internal static class EmailRules
{
    public static string? Problem(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Email is required.";
        }
        if (ClientText.Problem(email, "Email", RegisterRequest.MaxEmailLength) is { } textProblem)
        {
            return textProblem;
        }
        // MailAddress accepts display-name forms ("Bob <b@x>"); require the bare address.
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email.Trim()
            ? null
            : "Email is not a valid address.";
    }
}
