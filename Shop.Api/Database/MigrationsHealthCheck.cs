using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Api.Database;

internal sealed class MigrationsHealthCheck(MigrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsCompleted
            ? HealthCheckResult.Healthy("Database schema is up to date.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Database migrations have not finished yet."));
}
