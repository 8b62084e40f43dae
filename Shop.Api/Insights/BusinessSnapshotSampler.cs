using Dapper;
using Npgsql;

namespace Shop.Api.Insights;

/// <summary>
/// Reads pending orders and the last hour's best sellers every 30 s for the business gauges
/// (gauge callbacks run on the exporter's thread and must not query). Both queries stay on
/// small indexes at any volume: see migration 0034.
/// </summary>
internal sealed partial class BusinessSnapshotSampler(
    NpgsqlDataSource dataSource, BusinessMetrics metrics, MigrationState migrations, ILogger<BusinessSnapshotSampler> logger)
    : AfterMigrationsService(migrations)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private const string PendingSql = "SELECT count(*) FROM orders WHERE status = 'pending'";

    private const string TopProductsSql = """
        SELECT l.product_name AS Name, sum(l.quantity)::bigint AS Units
        FROM orders o
        JOIN order_lines l ON l.order_id = o.id
        WHERE o.created_at > now() - interval '1 hour'
        GROUP BY l.product_id, l.product_name
        ORDER BY Units DESC, l.product_name
        LIMIT 5
        """;

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(PendingSql, cancellationToken: stoppingToken));
                var top = await connection.QueryAsync<TopProduct>(new CommandDefinition(TopProductsSql, cancellationToken: stoppingToken));
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
