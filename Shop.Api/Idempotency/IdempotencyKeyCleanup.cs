using Microsoft.Extensions.Options;
using Npgsql;

namespace Shop.Api.Idempotency;

/// <summary>
/// Deletes expired idempotency keys in the background. Every replica runs it; SKIP LOCKED in the
/// delete lets them share the work instead of waiting on each other.
/// </summary>
public sealed partial class IdempotencyKeyCleanup(
    IdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider clock, MigrationState migrations, ILogger<IdempotencyKeyCleanup> logger)
    : AfterMigrationsService(migrations)
{
    public const int BatchSize = 5_000;

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogCleanupFailed(ex); // Postgres down: try again next tick.
            }
        }
    }

    /// <summary>Deletes every expired key, batch by batch; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await store.DeleteExpiredAsync(BatchSize, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            LogDeleted(total);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys.")]
    private partial void LogDeleted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up expired idempotency keys failed; will retry.")]
    private partial void LogCleanupFailed(Exception exception);
}
