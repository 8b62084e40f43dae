using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Worker.Messaging;

/// <summary>
/// Runs one consumer: its own channel with its own prefetch and dispatch concurrency, manual acks
/// after the handler's transaction committed, delayed retries through the retry queue, poison
/// messages to the dead-letter queue with the reason in headers, and a graceful stop that lets
/// in-flight messages finish (or requeues them) before the channel closes.
/// </summary>
internal sealed partial class QueueConsumer(
    ConsumerSettings settings,
    IMessageHandler handler,
    ConsumerRegistry registry,
    RabbitMqConnectionProvider connections,
    ConsumerMetrics metrics,
    ShopSchemaGate schema,
    ILogger<QueueConsumer> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("Shop.Worker.Messaging");

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(15);
    // The AppHost (like Kubernetes) kills a process 10 s after SIGTERM: finish well before.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(7);
    // A republish's confirm and an ack take milliseconds; far longer means the broker is not answering.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly InFlightMessages _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            // Handlers write to Shop.Api's tables: no message is taken before they exist.
            await schema.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var lostReason = await ConsumeUntilChannelLostAsync(stoppingToken);
                    if (lostReason is null)
                    {
                        return;
                    }
                    LogChannelLost(settings.Name, lostReason);
                    delay = TimeSpan.FromSeconds(1);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogConsumeFailed(ex, settings.Name, delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
                }
                await Task.Delay(delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<string?> ConsumeUntilChannelLostAsync(CancellationToken stoppingToken)
    {
        var connection = await connections.GetConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: settings.Concurrency),
            stoppingToken);
        // Retries and dead letters are published with confirms before the original is acked, so a
        // crash in between duplicates a message (harmless: idempotent) but never loses one.
        await using var publishChannel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);

        await QueueTopology.DeclareAsync(channel, settings, stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, settings.Prefetch, global: false, stoppingToken);

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
        publishChannel.ChannelShutdownAsync += (_, args) =>
        {
            if (args.Initiator != ShutdownInitiator.Application)
            {
                OnLost($"publishing channel closed by broker: {args.ReplyCode} {args.ReplyText}");
            }
            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        // A delivery that could not be settled stays unacked, holding a prefetch slot, until its
        // channel closes: so a failed settlement gives up the channel (the broker then redelivers
        // everything unacked on it) and the loop above consumes on a new one.
        void OnSettleFailed(string reason)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                lost.TrySetResult(reason);
            }
        }
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, publishChannel, delivery, OnSettleFailed, stoppingToken);
        consumer.UnregisteredAsync += (_, _) =>
        {
            OnLost("consumer cancelled by broker");
            return Task.CompletedTask;
        };
        var consumerTag = await channel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, stoppingToken);
        registry.MarkReady(settings.Name);
        LogConsuming(settings.Name, settings.Queue, settings.Prefetch, settings.Concurrency);

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

    private async Task OnDeliveryAsync(IChannel channel, IChannel publishChannel, BasicDeliverEventArgs delivery, Action<string> onSettleFailed, CancellationToken stoppingToken)
    {
        _inFlight.Enter();
        var started = Stopwatch.GetTimestamp();
        var headers = delivery.BasicProperties.Headers;
        var routingKey = MessageHeaders.GetString(headers, MessageHeaders.OriginalRoutingKey) ?? delivery.RoutingKey;
        using var activity = ActivitySource.StartActivity($"{routingKey} process", ActivityKind.Consumer, TraceContext.Extract(headers));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", settings.Queue);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        activity?.SetTag("messaging.message.id", delivery.BasicProperties.MessageId);
        activity?.SetTag("messaging.consumer.group.name", settings.Name);
        try
        {
            var attempt = MessageHeaders.GetInt(headers, MessageHeaders.Attempt, 1);
            var result = await handler.HandleAsync(
                new IncomingMessage(delivery.BasicProperties.MessageId ?? "", routingKey, delivery.Body, attempt, delivery.Redelivered), stoppingToken);
            var settlement = Settlement.For(result, attempt, settings.MaxAttempts);
            activity?.SetTag("shop.outcome", settlement.Outcome.ToString());
            if (settlement.Outcome is HandleOutcome.Retry or HandleOutcome.Poison)
            {
                activity?.SetStatus(ActivityStatusCode.Error, settlement.Reason);
            }
            await SettleAsync(channel, publishChannel, delivery, routingKey, settlement);
            metrics.Settled(settings.Name, settlement.Outcome.ToString().ToLowerInvariant(), Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            // Usually the channel closed under us: the broker redelivers the unacked message and
            // the handler's idempotency record makes the second attempt harmless.
            LogSettleFailed(ex, settings.Name, delivery.DeliveryTag);
            onSettleFailed($"settling delivery {delivery.DeliveryTag} failed: {ex.GetType().Name}");
        }
        finally
        {
            _inFlight.Exit();
        }
    }

    private async Task SettleAsync(IChannel channel, IChannel publishChannel, BasicDeliverEventArgs delivery, string routingKey, Settlement settlement)
    {
        // Not the stopping token: settling must happen even while stopping. But bounded: a broker
        // that never confirms a republish (seen while it recovered from a kill -9 on a starved
        // machine) must not hold the delivery, unacked, for as long as the connection lives.
        using var timeout = new CancellationTokenSource(SettleTimeout);
        var cancellationToken = timeout.Token;
        switch (settlement.Action)
        {
            case SettlementAction.Ack:
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
                break;
            case SettlementAction.Requeue:
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, cancellationToken);
                break;
            case SettlementAction.RetryLater:
                LogRetrying(settings.Name, delivery.BasicProperties.MessageId, settlement.Outcome, settlement.Reason, settings.RetryDelay);
                await RepublishAsync(publishChannel, delivery, settings.RetryQueue, routingKey, headers =>
                {
                    headers[MessageHeaders.Attempt] = settlement.Attempt;
                    headers[MessageHeaders.LastError] = Truncate(settlement.Reason);
                }, cancellationToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
                break;
            case SettlementAction.DeadLetter:
                LogDeadLettered(settings.Name, delivery.BasicProperties.MessageId, settlement.Reason);
                await RepublishAsync(publishChannel, delivery, settings.DeadLetterQueue, routingKey, headers =>
                {
                    headers[MessageHeaders.Attempt] = settlement.Attempt;
                    headers[MessageHeaders.DeadLetterReason] = Truncate(settlement.Reason);
                    headers[MessageHeaders.DeadLetteredAt] = DateTimeOffset.UtcNow.ToString("O");
                    headers[MessageHeaders.Consumer] = settings.Name;
                }, cancellationToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
                metrics.DeadLettered(settings.Name);
                break;
        }
    }

    private static async Task RepublishAsync(IChannel publishChannel, BasicDeliverEventArgs delivery, string queue, string routingKey, Action<Dictionary<string, object?>> setHeaders, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, object?>(delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            [MessageHeaders.OriginalRoutingKey] = routingKey,
        };
        setHeaders(headers);
        var properties = new BasicProperties(delivery.BasicProperties) { Headers = headers, Persistent = true };
        await publishChannel.BasicPublishAsync("", queue, mandatory: false, properties, delivery.Body, cancellationToken);
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length > 500 ? text[..500] : text;

    private async Task StopGracefullyAsync(IChannel channel, string consumerTag)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await channel.BasicCancelAsync(consumerTag, noWait: false, timeout.Token);
            await _inFlight.WhenIdleAsync().WaitAsync(DrainTimeout);
            // Prefetched but never started messages go back to the queue when the channel closes.
            await channel.CloseAsync(CancellationToken.None);
            LogStopped(settings.Name);
        }
        catch (Exception ex)
        {
            LogStopFailed(ex, settings.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer} consuming {Queue} (prefetch {Prefetch}, concurrency {Concurrency}).")]
    private partial void LogConsuming(string consumer, string queue, ushort prefetch, ushort concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} lost its channel ({Reason}); consuming again.")]
    private partial void LogChannelLost(string consumer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} could not consume; retrying in {Delay}.")]
    private partial void LogConsumeFailed(Exception exception, string consumer, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer}: {MessageId} {Outcome} ({Reason}); again in {Delay}.")]
    private partial void LogRetrying(string consumer, string? messageId, HandleOutcome outcome, string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer}: {MessageId} dead-lettered: {Reason}")]
    private partial void LogDeadLettered(string consumer, string? messageId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} could not settle delivery {DeliveryTag}; consuming on a new channel, the broker redelivers it.")]
    private partial void LogSettleFailed(Exception exception, string consumer, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Consumer} stopped; in-flight messages finished.")]
    private partial void LogStopped(string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer} did not stop cleanly; unacked messages will be redelivered.")]
    private partial void LogStopFailed(Exception exception, string consumer);
}
