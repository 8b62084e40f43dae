using RabbitMQ.Client;

namespace Shop.Worker.Messaging;

/// <summary>
/// A consumer's three queues: the work queue bound to its routing keys on shop.events; a retry
/// queue whose messages expire after the retry delay and dead-letter back into the work queue
/// (a delayed retry without a plugin); and a dead-letter queue for poison messages, kept until
/// someone replays or purges them. All durable, so a broker restart loses none of them.
/// </summary>
public static class QueueTopology
{
    public static async Task DeclareAsync(IChannel channel, ConsumerSettings settings, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(ShopEvents.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(settings.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var routingKey in settings.RoutingKeys)
        {
            await channel.QueueBindAsync(settings.Queue, ShopEvents.Exchange, routingKey, cancellationToken: cancellationToken);
        }
        await channel.QueueDeclareAsync(settings.RetryQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-message-ttl"] = (int)settings.RetryDelay.TotalMilliseconds,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = settings.Queue,
            },
            cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(settings.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
    }
}
