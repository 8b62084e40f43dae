namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The RFC 9457 <c>type</c> of Shop.Api's problems that a client must tell apart (409s and 422s
/// with different remedies). Clients decide by these, never by the words of a title or detail;
/// Shop.Api sets them, Shop.Web reads them, docs/api.md lists them. URNs: they name a kind of
/// problem and are not meant to be fetched.
/// </summary>
public static class ShopProblemTypes
{
    private const string Prefix = "urn:shopaspire:problem:";

    /// <summary>409 from checkout: a line asks for more than is in stock (extensions name the product and the figures).</summary>
    public const string OutOfStock = Prefix + "out-of-stock";

    /// <summary>409: a request with the same Idempotency-Key is still running; retry the same request shortly.</summary>
    public const string IdempotencyKeyInFlight = Prefix + "idempotency-key-in-flight";

    /// <summary>422: the Idempotency-Key was first used with another request; use a new key.</summary>
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";

    /// <summary>409: the cart already holds the most distinct products it may.</summary>
    public const string CartFull = Prefix + "cart-full";

    /// <summary>503: a server the API cannot answer without (Postgres) is unreachable or restarting; retry after Retry-After seconds.</summary>
    public const string DependencyUnavailable = Prefix + "dependency-unavailable";

    /// <summary>409 from registration: an account with this email exists.</summary>
    public const string EmailTaken = Prefix + "email-taken";
}
