using System.ComponentModel.DataAnnotations;

namespace Shop.Api.RateLimiting;

/// <summary>Section "RateLimiting": each client may send <see cref="PermitLimit"/> requests per window.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Generous by default: a client is a user or an IP, and the test suites and load tests all
    /// come from 127.0.0.1. Production sets its own figure.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 100_000;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 10;
}
