using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Worker.CatalogActivity;

/// <summary>
/// Keeps a consumer on queue worker.catalog-activity (bound to catalog.product-created on
/// shop.events) and hands each delivery to <see cref="ProductCreatedHandler"/>. Manual acks:
/// a message is acked only after its row is committed, so nothing is lost if we crash.
/// </summary>
internal sealed partial class ProductCreatedConsumer(
    RabbitMqConnectionProvider connections,
    CatalogActivityStore store,
    ProductCreatedHandler handler,
    ILogger<ProductCreatedConsumer> logger) : BackgroundService
{
    public const string QueueName = "worker.catalog-activity";

    // Enough unacked messages in flight to hide the round trip, few enough that a crash
    // redelivers little.
    private const ushort PrefetchCount = 16;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BrokerCallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    private readonly InFlightMessages _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitForSchemaAsync(stoppingToken);

            var delay = TimeSpan.FromSeconds(1);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var lostReason = await ConsumeUntilChannelLostAsync(stoppingToken);
                    if (lostReason is null)
                    {
                        return; // stopped gracefully
                    }

                    LogChannelLost(lostReason);
                    delay = TimeSpan.FromSeconds(1);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogConsumeFailed(ex, delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                }

                await Task.Delay(delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before consuming started: nothing to drain.
        }
    }

    /// <summary>
    /// The API owns the schema. The AppHost starts us after the API is healthy (migrated), but
    /// run any other way we may be first: wait for the table instead of crashing.
    /// </summary>
    private async Task WaitForSchemaAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                if (await store.SchemaExistsAsync(stoppingToken))
                {
                    return;
                }

                LogWaitingForSchema(delay);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDatabaseUnavailable(ex, delay);
            }

            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <returns>Why the channel was lost, or null when we stopped because the host is stopping.</returns>
    private async Task<string?> ConsumeUntilChannelLostAsync(CancellationToken stoppingToken)
    {
        var connection = await connections.GetConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);

        await DeclareTopologyAsync(channel, stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, PrefetchCount, global: false, stoppingToken);

        // A dropped connection is recovered automatically, together with this channel and its
        // consumer, so then there is nothing to do. Only a channel or consumer the broker ends on
        // a live connection (a channel error, a deleted queue) must be rebuilt here.
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLost(string reason)
        {
            if (!stoppingToken.IsCancellationRequested && connection.IsOpen)
            {
                lost.TrySetResult(reason);
            }
        }

        channel.ChannelShutdownAsync += (_, args) =>
        {
            if (args.Initiator != ShutdownInitiator.Application)
            {
                OnLost($"channel closed by broker: {args.ReplyCode} {args.ReplyText}");
            }

            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery, stoppingToken);
        consumer.UnregisteredAsync += (_, _) =>
        {
            OnLost("consumer cancelled by broker");
            return Task.CompletedTask;
        };

        var consumerTag = await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);
        LogConsuming(QueueName, PrefetchCount);

        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stoppingToken.Register(() => stopping.TrySetResult()))
        {
            if (await Task.WhenAny(lost.Task, stopping.Task) == lost.Task)
            {
                return await lost.Task;
            }
        }

        await StopGracefullyAsync(channel, consumerTag);
        return null;
    }

    private static async Task DeclareTopologyAsync(IChannel channel, CancellationToken cancellationToken)
    {
        // Declares are idempotent; declaring here means the worker can start before the API.
        // Rejected messages are dropped for now; a dead-letter exchange comes with retries.
        await channel.ExchangeDeclareAsync(ShopEvents.Exchange, ExchangeType.Topic, durable: true,
            autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false,
            autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(QueueName, ShopEvents.Exchange, ProductCreated.RoutingKey,
            cancellationToken: cancellationToken);
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        _inFlight.Enter();
        try
        {
            var outcome = await handler.HandleAsync(delivery, stoppingToken);

            // Settling uses CancellationToken.None: it must happen even while stopping.
            await (outcome switch
            {
                DeliveryOutcome.Processed => channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None),
                DeliveryOutcome.Rejected => channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, CancellationToken.None),
                _ => channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None),
            });
        }
        catch (Exception ex)
        {
            // Usually the channel closed under us. The broker redelivers the unacked message and
            // ON CONFLICT in the store makes the second attempt harmless.
            LogSettleFailed(ex, delivery.DeliveryTag);
        }
        finally
        {
            _inFlight.Exit();
        }
    }

    /// <summary>Stop new deliveries, let in-flight ones finish and ack, then close the channel.</summary>
    private async Task StopGracefullyAsync(IChannel channel, string consumerTag)
    {
        try
        {
            using var timeout = new CancellationTokenSource(BrokerCallTimeout);
            await channel.BasicCancelAsync(consumerTag, noWait: false, timeout.Token);
            await _inFlight.WhenIdleAsync().WaitAsync(DrainTimeout);
            await channel.CloseAsync(CancellationToken.None);
            LogStopped();
        }
        catch (Exception ex)
        {
            // Unacked messages go back to the queue when the channel goes away.
            LogStopFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Queue} with prefetch {Prefetch}.")]
    private partial void LogConsuming(string queue, ushort prefetch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for table catalog_activity (created by Shop.Api's migrations); checking again in {Delay}.")]
    private partial void LogWaitingForSchema(TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while checking the schema; retrying in {Delay}.")]
    private partial void LogDatabaseUnavailable(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the consumer ({Reason}); consuming again.")]
    private partial void LogChannelLost(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume from RabbitMQ; retrying in {Delay}.")]
    private partial void LogConsumeFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle delivery {DeliveryTag}; the broker will redeliver it.")]
    private partial void LogSettleFailed(Exception exception, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped consuming; in-flight messages finished.")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer did not stop cleanly; unacked messages will be redelivered.")]
    private partial void LogStopFailed(Exception exception);
}
