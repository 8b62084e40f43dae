using System.ComponentModel.DataAnnotations;

namespace Shop.Api.Users.SignInLimits;

/// <summary>
/// Section "SignInLimits": failed sign-ins allowed per account and per client (IP address; an
/// IPv6 client by its /64) in fixed windows, counted in Redis for every replica together.
/// </summary>
/// <remarks>
/// 10 per account per 15 minutes makes guessing even a weak password a matter of years, and
/// leaves room for a person who mistypes; 100 per client covers a shared office address. A
/// successful sign-in is not counted.
/// </remarks>
public sealed class SignInLimitOptions
{
    public const string SectionName = "SignInLimits";

    public bool Enabled { get; set; } = true;

    [Range(1, int.MaxValue)]
    public int PerAccountPermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int PerAccountWindowSeconds { get; set; } = 900;

    [Range(1, int.MaxValue)]
    public int PerClientPermitLimit { get; set; } = 100;

    [Range(1, 86_400)]
    public int PerClientWindowSeconds { get; set; } = 900;
}
