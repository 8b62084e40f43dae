using Npgsql;
using ShopAspire.Messaging.Database;

namespace Shop.Api.Outbox;

/// <summary>
/// Publishes committed outbox messages: claims a batch with FOR UPDATE SKIP LOCKED, publishes it
/// with confirms, marks what the broker confirmed as sent and commits: two database round trips a
/// batch. Any number of
/// relays (API and worker replicas) run side by side: they take disjoint batches and never wait
/// for each other. A crash between confirm and commit publishes those messages again; consumers
/// de-duplicate on the message id, so delivery is at-least-once and the effect once.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    OutboxStore store,
    OutboxSignal signal,
    RabbitMqConnectionProvider connections,
    OutboxMetrics metrics,
    TimeProvider clock,
    MigrationState migrations,
    ILogger<OutboxRelay> logger) : AfterMigrationsService(migrations)
{
    // Small batches keep row locks short and spread work over relays; big enough to amortise a commit.
    private const int BatchSize = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        var listening = signal.ListenAsync(stoppingToken);
        await using var publisher = new OutboxPublisher(connections);
        var backoff = FirstBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var relayed = await RelayBatchAsync(publisher, stoppingToken);
                    backoff = FirstBackoff;
                    if (relayed < BatchSize)
                    {
                        await signal.WaitAsync(PollInterval, stoppingToken);
                        // Every committed checkout and payment wakes the relay; a claim made at once
                        // takes what one or a few commits wrote, at two round trips and a commit.
                        // Gathering for a moment lets one claim take more, for that much more lag.
                        await Task.Delay(GatherDelay, stoppingToken);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Broker or database down: the messages stay in the table and wait. Back off
                    // so a dead broker is not hammered; the backlog gauge shows the outage.
                    LogRelayFailed(ex, backoff);
                    await publisher.ResetAsync();
                    await Task.Delay(backoff, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await listening.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <returns>How many messages were claimed.</returns>
    private async Task<int> RelayBatchAsync(OutboxPublisher publisher, CancellationToken stoppingToken)
    {
        // Connect to the broker before locking anything, so an outage costs no database locks.
        var channel = await publisher.EnsureChannelAsync(stoppingToken);

        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        var settled = false;
        try
        {
            var batch = await store.ClaimAsync(connection, BatchSize, stoppingToken);
            if (batch.Count == 0)
            {
                return 0;
            }

            // All of the batch in flight at once on the one channel; each completes at its confirm.
            // Not the stopping token: a batch that started publishing finishes (or times out).
            using var timeout = new CancellationTokenSource(PublishTimeout);
            var publishes = batch.Select(m => publisher.PublishAsync(channel, m, timeout.Token)).ToArray();
            try
            {
                await Task.WhenAll(publishes);
            }
            catch (Exception)
            {
                // Looked at one by one below: confirmed ones are marked sent even if others failed.
            }

            var confirmed = new List<Guid>(batch.Count);
            var unroutable = new List<Guid>();
            var failed = new List<Guid>();
            Exception? firstError = null;
            for (var i = 0; i < batch.Count; i++)
            {
                if (publishes[i].IsCompletedSuccessfully)
                {
                    // Nobody subscribes to an unroutable one (yet): it is published, and there is nothing to wait for.
                    (publishes[i].Result == OutboxPublisher.Outcome.Confirmed ? confirmed : unroutable).Add(batch[i].Id);
                    metrics.Published(batch[i].RoutingKey, clock.GetUtcNow().UtcDateTime - batch[i].CreatedAt);
                }
                else
                {
                    failed.Add(batch[i].Id);
                    firstError ??= publishes[i].Exception?.GetBaseException() ?? new TimeoutException("publish timed out");
                }
            }

            await store.SettleAsync(connection, new RelayOutcome(confirmed, unroutable, failed, firstError?.Message ?? ""), CancellationToken.None);
            settled = true;

            if (unroutable.Count > 0)
            {
                LogUnroutable(unroutable.Count);
            }
            if (firstError is not null)
            {
                metrics.Failed(failed.Count);
                throw new OutboxPublishException($"{failed.Count} of {batch.Count} outbox messages could not be published.", firstError);
            }
            return batch.Count;
        }
        finally
        {
            if (!settled)
            {
                // Nothing claimed, or a failure: the rows are free for the next relay at once.
                await StatementTransactions.RollbackAsync(connection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying in {Backoff}.")]
    private partial void LogRelayFailed(Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} outbox messages had no queue bound to their routing key.")]
    private partial void LogUnroutable(int count);
}

internal sealed class OutboxPublishException(string message, Exception inner) : Exception(message, inner);
