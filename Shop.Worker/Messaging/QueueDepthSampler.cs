namespace Shop.Worker.Messaging;

/// <summary>Reads the depth of every consumer's work, retry and dead-letter queue every few seconds for the shop.queue.depth gauge.</summary>
internal sealed partial class QueueDepthSampler(ConsumerRegistry registry, RabbitMqConnectionProvider connections, ConsumerMetrics metrics, ILogger<QueueDepthSampler> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SampleUntilStoppedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A stop, not a failure: escaping while the host is disposed, it is logged as
            // "BackgroundService failed" at Critical.
        }
    }

    private async Task SampleUntilStoppedAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var connection = await connections.GetConnectionAsync(stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                foreach (var settings in registry.Consumers)
                {
                    foreach (var queue in new[] { settings.Queue, settings.RetryQueue, settings.DeadLetterQueue })
                    {
                        metrics.ObserveDepth(queue, await channel.MessageCountAsync(queue, stoppingToken));
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(ex.Message); // a queue not declared yet closes the channel; next tick
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample queue depths: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
