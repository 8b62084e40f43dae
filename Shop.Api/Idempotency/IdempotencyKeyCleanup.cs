using Microsoft.Extensions.Options;
using Npgsql;
using ShopAspire.Messaging.Retention;

namespace Shop.Api.Idempotency;

/// <summary>
/// Deletes expired idempotency keys in the background, batch by batch. Every replica runs it
/// (see <see cref="RetentionSweep"/>).
/// </summary>
public sealed partial class IdempotencyKeyCleanup(
    NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options, TimeProvider clock, MigrationState migrations, ILogger<IdempotencyKeyCleanup> logger)
    : AfterMigrationsService(migrations)
{
    /// <summary>Oldest first, on idempotency_keys_expires_idx; $1 is zero: a key goes when it expires.</summary>
    public static readonly string DeleteSql =
        RetentionSweep.DeleteStatement("idempotency_keys", "expires_at < now() - $1", orderBy: "expires_at");

    public RetentionSweep Sweep { get; } = new(dataSource,
        new RetentionPolicy(DeleteSql, TimeSpan.Zero, options.Value.CleanupInterval));

    protected override Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken) =>
        Sweep.RunPeriodicallyAsync(clock, LogDeleted, LogCleanupFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys.")]
    private partial void LogDeleted(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up expired idempotency keys failed; will retry.")]
    private partial void LogCleanupFailed(Exception exception);
}
