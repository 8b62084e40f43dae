using Dapper;
using Npgsql;

namespace Shop.Api.Insights;

/// <summary>
/// Reads pending orders and the last hour's best sellers every 30 s for the business gauges
/// (gauge callbacks run on the exporter's thread and must not query). Both queries stay on
/// small indexes at any volume: pending orders on a partial index (migration 0034), the best
/// sellers on one hour's range of order_lines' primary key (<see cref="TopProductsQuery"/>).
/// </summary>
internal sealed partial class BusinessSnapshotSampler(
    NpgsqlDataSource dataSource, BusinessMetrics metrics, TimeProvider clock, MigrationState migrations, ILogger<BusinessSnapshotSampler> logger)
    : AfterMigrationsService(migrations)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private const string PendingSql = "SELECT count(*) FROM orders WHERE status = 'pending'";

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(PendingSql, cancellationToken: stoppingToken));
                var (from, until) = TopProductsQuery.IdRange(clock.GetUtcNow());
                var top = await connection.QueryAsync<TopProduct>(new CommandDefinition(TopProductsQuery.Sql, new { from, until }, cancellationToken: stoppingToken));
                metrics.Observe(new BusinessSnapshot(pending, [.. top]));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(ex.Message); // The database is down: the gauges keep their last values.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the business gauges: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
