using System.ComponentModel.DataAnnotations;

namespace Shop.Api.Users;

/// <summary>Section "Auth". The AppHost passes a generated signing key and admin password.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HMAC-SHA256 key; at least 32 characters (256 bits) or signing refuses to start.</summary>
    [Required, MinLength(ShopTokens.MinimumKeyLength)]
    public string SigningKey { get; set; } = "";

    [Range(1, 24 * 60)]
    public int TokenLifetimeMinutes { get; set; } = 60;

    public AdminAccount Admin { get; set; } = new();

    public sealed class AdminAccount
    {
        public string? Email { get; set; }

        public string? Password { get; set; }
    }
}
