using System.Net;
using System.Net.Http.Json;

namespace Shop.Worker.Payments;

/// <summary>What the provider decided about a charge.</summary>
public abstract record ChargeOutcome
{
    public sealed record Succeeded(string ChargeId) : ChargeOutcome;

    public sealed record Declined(string Reason) : ChargeOutcome;
}

/// <summary>The provider answered in a way retrying cannot fix (a 4xx other than a decline).</summary>
public sealed class PaymentRejectedException(string message) : Exception(message);

/// <summary>The provider kept failing through every retry of the pipeline.</summary>
public sealed class PaymentProviderUnavailableException(string message) : Exception(message);

/// <summary>
/// Calls POST /v1/charges on the provider (service discovery name "payments") through the
/// "payments" resilience pipeline. The idempotency key is derived from the order id only, so
/// every retry, redelivery or second worker asks for the same charge and the provider makes at
/// most one.
/// </summary>
public sealed class PaymentProviderClient(HttpClient http)
{
    public static string IdempotencyKeyFor(Guid orderId) => $"order-{orderId:N}-charge";

    public async Task<ChargeOutcome> ChargeAsync(Guid orderId, decimal amount, string currency, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/charges")
        {
            Content = JsonContent.Create(new { amount, currency, reference = orderId.ToString() }),
        };
        request.Headers.Add("Idempotency-Key", IdempotencyKeyFor(orderId));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            var charge = await response.Content.ReadFromJsonAsync<ChargeResponse>(cancellationToken);
            return new ChargeOutcome.Succeeded(charge?.Id ?? throw new PaymentRejectedException("the provider answered without a charge id"));
        }
        if (response.StatusCode == HttpStatusCode.PaymentRequired)
        {
            var charge = await response.Content.ReadFromJsonAsync<ChargeResponse>(cancellationToken);
            return new ChargeOutcome.Declined(charge?.DeclineReason ?? "declined");
        }
        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new PaymentProviderUnavailableException($"the provider answered {(int)response.StatusCode} after every retry");
        }
        throw new PaymentRejectedException($"the provider rejected the charge: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    private sealed record ChargeResponse(string? Id, string? Status, string? DeclineReason);
}
