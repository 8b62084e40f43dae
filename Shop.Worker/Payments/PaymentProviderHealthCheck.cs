using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Worker.Payments;

/// <summary>
/// The payment provider's own readiness (its /health), as an optional dependency: while it is
/// down, orders stay pending and their messages wait on the retry queue, nothing is lost, so the
/// worker reports Degraded (the failure status it is registered with), not unready.
/// </summary>
internal sealed class PaymentProviderHealthCheck(IHttpClientFactory httpClients) : IHealthCheck
{
    public const string Name = "payment-provider";
    public const string HttpClientName = "payments-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.GetAsync("/health", cancellationToken);
        return response.IsSuccessStatusCode
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, $"The payment provider answered {(int)response.StatusCode}; payments wait on their retry queue.");
    }
}
