namespace Shop.PaymentProvider.Charges;

/// <summary>A charge as the provider recorded it. Status: succeeded or declined.</summary>
public sealed record Charge(
    string Id,
    string IdempotencyKey,
    string Reference,
    decimal Amount,
    string Currency,
    string Status,
    string? DeclineReason,
    DateTime CreatedAt,
    string? TraceParent = null)
{
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";
}

/// <summary>POST /v1/charges body. Reference is the merchant's own id (the shop sends the order id).</summary>
public sealed record ChargeRequest(decimal Amount, string? Currency, string? Reference)
{
    public Dictionary<string, string[]> Validate(string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 255)
        {
            errors["Idempotency-Key"] = ["The Idempotency-Key header is required (1..255 characters)."];
        }
        if (Amount <= 0 || decimal.Round(Amount, 2) != Amount)
        {
            errors["amount"] = ["Must be positive with at most 2 decimals."];
        }
        if (Currency is not { Length: 3 })
        {
            errors["currency"] = ["Must be a 3-letter ISO code."];
        }
        if (string.IsNullOrWhiteSpace(Reference) || Reference.Length > 255)
        {
            errors["reference"] = ["Required, at most 255 characters."];
        }
        return errors;
    }
}

/// <summary>GET /v1/charges/stats: what tests check ("exactly one charge per order").</summary>
public sealed record ChargeStats(
    long Charges,
    long Succeeded,
    long Declined,
    long DistinctReferences,
    long ReferencesChargedMoreThanOnce,
    long Requests,
    long InjectedFailures,
    long Stalls,
    long IdempotentReplays);
