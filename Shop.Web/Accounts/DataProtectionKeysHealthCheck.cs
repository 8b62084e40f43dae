using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Web.Accounts;

/// <summary>
/// Whether this replica has the data-protection key ring: every page render protects an
/// antiforgery token, and the auth cookie is protected with it too, so without keys the web can
/// serve nothing. The keys live in Redis but stay cached in the process once read (refreshed
/// daily; a failed refresh keeps the cached ring), so a replica that loaded them keeps serving
/// through a Redis outage (Redis itself is an optional dependency: Degraded), while a replica
/// that starts during one cannot (this check, required: not ready).
/// </summary>
/// <remarks>
/// Protecting is synchronous and, with no cached ring and Redis away, waits for Redis's timeout:
/// one attempt at a time runs on the thread pool, and probes that arrive meanwhile wait for it.
/// </remarks>
internal sealed class DataProtectionKeysHealthCheck(IDataProtectionProvider provider) : IHealthCheck
{
    public const string Name = "data-protection-keys";

    private static readonly byte[] Probe = [1, 2, 3];
    private readonly IDataProtector _protector = provider.CreateProtector("Shop.Web.HealthCheck");
    private readonly Lock _gate = new();
    private Task? _attempt;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task attempt;
        lock (_gate)
        {
            if (_attempt is null || _attempt.IsCompleted)
            {
                _attempt = Task.Run(() => _protector.Protect(Probe), CancellationToken.None);
            }
            attempt = _attempt;
        }

        await attempt.WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
