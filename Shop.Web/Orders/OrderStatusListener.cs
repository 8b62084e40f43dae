using ShopAspire.Messaging;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Web.Orders;

/// <summary>
/// Listens to <c>orders.status-changed</c> and <c>orders.paid</c> (a payment's only event) on
/// exchange <c>shop.events</c> and hands each change to this replica's <see cref="OrderStatusFeed"/>.
/// </summary>
/// <remarks>
/// Every web replica binds its own server-named, exclusive, auto-delete queue, so every replica
/// gets every event: the broker is the backplane, and a shopper's order page receives the change
/// whichever replica holds its connection. Nothing here needs to survive a restart (a reloaded
/// page reads the current status from the API), hence no durable queue and auto-ack.
/// </remarks>
internal sealed partial class OrderStatusListener(
    RabbitMqConnectionProvider connections,
    OrderStatusFeed feed,
    ILogger<OrderStatusListener> logger) : BackgroundService
{

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenUntilLostAsync(stoppingToken);
                delay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Live status degrades to "reload to see it"; pages keep working.
                LogListenFailed(ex, delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenUntilLostAsync(CancellationToken stoppingToken)
    {
        var connection = await connections.GetConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);

        await channel.ExchangeDeclareAsync(ShopEvents.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: stoppingToken);
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(queue.QueueName, ShopEvents.Exchange, ShopEvents.OrderStatusChanged, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(queue.QueueName, ShopEvents.Exchange, ShopEvents.OrderPaid, cancellationToken: stoppingToken);

        // Automatic recovery brings a dropped connection back with this channel, queue and
        // consumer; only a channel the broker closes on a live connection ends this listen.
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            if (args.Initiator != ShutdownInitiator.Application && connection.IsOpen)
            {
                lost.TrySetResult();
            }
            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            OnDelivery(delivery);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, stoppingToken);
        LogListening(queue.QueueName);

        await lost.Task.WaitAsync(stoppingToken);
        LogChannelLost();
    }

    private void OnDelivery(BasicDeliverEventArgs delivery)
    {
        try
        {
            var change = delivery.RoutingKey == ShopEvents.OrderPaid
                ? JsonSerializer.Deserialize<OrderPaid>(delivery.Body.Span, Json)?.AsStatusChange()
                : JsonSerializer.Deserialize<OrderStatusChanged>(delivery.Body.Span, Json);
            if (change is null || change.OrderId == Guid.Empty || string.IsNullOrEmpty(change.Status))
            {
                LogMalformed(delivery.RoutingKey, delivery.BasicProperties.MessageId);
                return;
            }
            feed.Publish(change);
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex, delivery.RoutingKey, delivery.BasicProperties.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for order status changes on queue {Queue}.")]
    private partial void LogListening(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order status channel was closed by the broker; listening again.")]
    private partial void LogChannelLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot listen for order status changes; live status is off, retrying in {Delay}.")]
    private partial void LogListenFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an {RoutingKey} event without order or status (message {MessageId}).")]
    private partial void LogMalformed(string routingKey, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable {RoutingKey} event (message {MessageId}).")]
    private partial void LogUnreadable(Exception exception, string routingKey, string? messageId);
}
