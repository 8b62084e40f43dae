using Microsoft.Extensions.Options;
using ShopAspire.Messaging.Retention;
using Shop.Worker.Database;

namespace Shop.Worker.Messaging.Pipeline;

/// <summary>Configuration section "Consumers:ProcessedMessages".</summary>
public sealed class ProcessedMessagesOptions
{
    /// <summary>
    /// How long a consumer remembers a message it handled. A duplicate comes from a redelivery
    /// (a consumer that died before its ack) or from the relay publishing a message again (it died
    /// between the broker's confirm and its commit): seconds or minutes later, never a week.
    /// </summary>
    public TimeSpan KeptFor { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Deletes the consumers' de-duplication records (<see cref="ProcessedMessages"/>) past their
/// retention, so processed_messages holds a week of deliveries rather than every message ever
/// handled. Every replica runs it (see <see cref="RetentionSweep"/>); it starts once the schema is there.
/// </summary>
public sealed partial class ProcessedMessagesRetention(
    NpgsqlDataSource dataSource, IOptions<ProcessedMessagesOptions> options, ShopSchemaGate schema, TimeProvider clock, ILogger<ProcessedMessagesRetention> logger)
    : BackgroundService
{
    /// <summary>Old records are found through the BRIN index on processed_at (migration 0037).</summary>
    public static readonly string DeleteSql = RetentionSweep.DeleteStatement("processed_messages", "processed_at < now() - $1");

    public RetentionSweep Sweep { get; } = new(dataSource,
        new RetentionPolicy(DeleteSql, options.Value.KeptFor, options.Value.Interval));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WaitAsync(stoppingToken);
        await Sweep.RunPeriodicallyAsync(clock, LogDeleted, LogSweepFailed, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} processed-message records past their retention.")]
    private partial void LogDeleted(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old processed-message records failed; will retry.")]
    private partial void LogSweepFailed(Exception exception);
}
