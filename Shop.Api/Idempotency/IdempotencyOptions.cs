namespace Shop.Api.Idempotency;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>How long a key and its stored response are kept (the contract promises at least 24 h).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A key still marked in flight after this long belongs to a request whose process died; a
    /// retry with the same body may then run it again.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests are hashed whole, so their bodies are read into memory: keep that bounded.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
