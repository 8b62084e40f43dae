using Npgsql;

namespace Shop.Api.Outbox;

/// <summary>
/// Measures the backlog every few seconds for the gauges. Gauge callbacks run synchronously on
/// the exporter's thread, so they read this sample instead of querying the database themselves.
/// </summary>
internal sealed partial class OutboxBacklogSampler(
    NpgsqlDataSource dataSource, OutboxStore store, OutboxMetrics metrics, MigrationState migrations, ILogger<OutboxBacklogSampler> logger)
    : AfterMigrationsService(migrations)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                metrics.Observe(await store.MeasureBacklogAsync(dataSource, stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(ex.Message); // The database is down: try again next tick.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not measure the outbox backlog: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
