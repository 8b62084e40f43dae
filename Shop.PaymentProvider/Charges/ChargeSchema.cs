using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.PaymentProvider.Charges;

/// <summary>Creates the ledger table at startup, retrying while the database comes up; /health waits for it.</summary>
internal sealed partial class ChargeSchema(ChargeStore store, ILogger<ChargeSchema> logger) : BackgroundService
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!_ready)
        {
            try
            {
                await store.EnsureSchemaAsync(stoppingToken);
                _ready = true;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSchemaFailed(ex, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the charges table; retrying in {Delay}.")]
    private partial void LogSchemaFailed(Exception exception, TimeSpan delay);
}

internal sealed class ChargeSchemaHealthCheck(ChargeSchema schema) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(schema.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("charges table not created yet"));
}
