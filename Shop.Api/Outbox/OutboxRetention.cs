using Microsoft.Extensions.Options;
using Npgsql;
using ShopAspire.Messaging.Retention;

namespace Shop.Api.Outbox;

/// <summary>Configuration section "Outbox:Retention".</summary>
public sealed class OutboxRetentionOptions
{
    /// <summary>
    /// How long a sent message stays in outbox_messages after it was written: what was published,
    /// when and with which trace, for the admin lag figure and for an investigation.
    /// </summary>
    public TimeSpan SentKeptFor { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Deletes sent outbox messages past their retention, so the table holds a week of traffic
/// rather than every message ever sent. An unsent message is never deleted, however old: it
/// still has to be published. Every replica runs it (see <see cref="RetentionSweep"/>).
/// </summary>
public sealed partial class OutboxRetention(
    NpgsqlDataSource dataSource, IOptions<OutboxRetentionOptions> options, TimeProvider clock, MigrationState migrations, ILogger<OutboxRetention> logger)
    : AfterMigrationsService(migrations)
{
    /// <summary>
    /// Old rows are found through the BRIN index on created_at (migration 0037): rows are appended
    /// in time order, so the block ranges holding last week's rows are all it reads.
    /// </summary>
    public static readonly string DeleteSql =
        RetentionSweep.DeleteStatement("outbox_messages", "created_at < now() - $1 AND sent_at IS NOT NULL");

    public RetentionSweep Sweep { get; } = new(dataSource,
        new RetentionPolicy(DeleteSql, options.Value.SentKeptFor, options.Value.Interval));

    protected override Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken) =>
        Sweep.RunPeriodicallyAsync(clock, LogDeleted, LogSweepFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} sent outbox messages past their retention.")]
    private partial void LogDeleted(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old sent outbox messages failed; will retry.")]
    private partial void LogSweepFailed(Exception exception);
}
