using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Shop.Api.Outbox;

/// <summary>
/// Publishes outbox messages on one long-lived channel with publisher confirms: PublishAsync
/// completes when the broker has taken the message (persisted it, since the message is persistent
/// and the exchange and queues durable). Not thread-safe: one relay loop owns one publisher.
/// </summary>
internal sealed class OutboxPublisher(RabbitMqConnectionProvider connections) : IAsyncDisposable
{
    public static readonly ActivitySource ActivitySource = new("Shop.Api.Outbox");

    private static readonly CreateChannelOptions ConfirmingChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true);

    private IChannel? _channel;

    public enum Outcome
    {
        Confirmed,

        /// <summary>The broker confirmed but no queue is bound to the routing key (mandatory returned it).</summary>
        Unroutable,
    }

    public async Task<IChannel> EnsureChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }
        await ResetAsync();
        var connection = await connections.GetConnectionAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(ConfirmingChannel, cancellationToken);
        await channel.ExchangeDeclareAsync(ShopEvents.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        _channel = channel;
        return channel;
    }

    public async Task<Outcome> PublishAsync(IChannel channel, PendingMessage message, CancellationToken cancellationToken)
    {
        // The span continues the trace of the request that wrote the message (its stored
        // traceparent), not whatever the relay loop happens to be doing.
        ActivityContext.TryParse(message.TraceParent, message.TraceState, isRemote: true, out var parent);
        using var activity = ActivitySource.StartActivity($"{message.RoutingKey} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", ShopEvents.Exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", message.RoutingKey);
        activity?.SetTag("messaging.message.id", message.Id.ToString());

        var headers = TraceContext.Inject(activity);
        if (activity is null && message.TraceParent is not null)
        {
            // Nobody is recording spans here: pass the stored context on as it is.
            headers["traceparent"] = message.TraceParent;
            if (message.TraceState is not null)
            {
                headers["tracestate"] = message.TraceState;
            }
        }
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = message.Id.ToString(),
            Type = message.MessageType,
            Timestamp = new AmqpTimestamp(new DateTimeOffset(message.CreatedAt, TimeSpan.Zero).ToUnixTimeSeconds()),
            Headers = headers,
        };
        try
        {
            await channel.BasicPublishAsync(ShopEvents.Exchange, message.RoutingKey, mandatory: true, properties,
                Encoding.UTF8.GetBytes(message.Payload), cancellationToken);
            return Outcome.Confirmed;
        }
        catch (PublishReturnException)
        {
            activity?.SetTag("messaging.rabbitmq.unroutable", true);
            return Outcome.Unroutable;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    public async Task ResetAsync()
    {
        var channel = _channel;
        _channel = null;
        if (channel is not null)
        {
            try
            {
                await channel.DisposeAsync();
            }
            catch (Exception)
            {
                // A broken channel may fail to close; it is being dropped either way.
            }
        }
    }

    public ValueTask DisposeAsync() => new(ResetAsync());
}
