using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Api.Messaging;

internal sealed class RabbitMqEventPublisher(RabbitMqConnectionProvider connections) : IEventPublisher
{
    private static readonly ActivitySource ActivitySource = new("Shop.Api.Messaging");
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // Confirms make BasicPublishAsync wait until the broker has taken responsibility for the
    // message (written it to disk, since it is persistent and the exchange durable).
    private static readonly CreateChannelOptions ConfirmingChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true);

    public async Task PublishAsync<TEvent>(string routingKey, Guid eventId, TEvent @event, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity($"send {routingKey}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", ShopEvents.Exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        activity?.SetTag("messaging.message.id", eventId.ToString());

        var connection = await connections.GetConnectionAsync(cancellationToken);
        // A channel per publish keeps this simple and thread-safe; the outbox relay (later issue)
        // will hold one long-lived confirming channel instead.
        await using var channel = await connection.CreateChannelAsync(ConfirmingChannel, cancellationToken);
        await channel.ExchangeDeclareAsync(ShopEvents.Exchange, ExchangeType.Topic, durable: true,
            autoDelete: false, cancellationToken: cancellationToken);

        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = eventId.ToString(),
            Type = typeof(TEvent).Name,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Headers = TraceContextHeaders.For(activity ?? Activity.Current),
        };

        var body = JsonSerializer.SerializeToUtf8Bytes(@event, JsonOptions);

        // mandatory: an event no queue is bound to comes back as a PublishException instead of
        // vanishing silently.
        await channel.BasicPublishAsync(ShopEvents.Exchange, routingKey, mandatory: true, properties, body, cancellationToken);
        await channel.CloseAsync(cancellationToken);
    }
}
