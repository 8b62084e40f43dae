using System.Text;
using RabbitMQ.Client;

namespace Shop.Worker.Messaging;

/// <summary>A message in a dead-letter queue, with why it is there.</summary>
public sealed record DeadLetter(
    string Consumer, string Queue, string? MessageId, string? RoutingKey, string? Reason, int Attempts, string? DeadLetteredAt, string Body);

/// <summary>
/// Lists and replays dead letters. Listing takes messages without acking and gives them back by
/// closing the channel, so it changes nothing; replay publishes a message back to its consumer's
/// work queue (with confirms, attempts reset) and only then removes it from the dead-letter queue.
/// </summary>
public sealed class DeadLetterQueues(ConsumerRegistry registry, RabbitMqConnectionProvider connections)
{
    private const int MaxListed = 500;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string? consumer, CancellationToken cancellationToken)
    {
        var connection = await connections.GetConnectionAsync(cancellationToken);
        var letters = new List<DeadLetter>();
        foreach (var settings in Select(consumer))
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            while (letters.Count < MaxListed && await channel.BasicGetAsync(settings.DeadLetterQueue, autoAck: false, cancellationToken) is { } message)
            {
                letters.Add(Describe(settings, message));
            }
            await channel.CloseAsync(cancellationToken); // unacked: all of them go back to the queue
        }
        return letters;
    }

    /// <returns>How many messages were replayed: all of the consumer's, or only <paramref name="messageId"/>.</returns>
    public async Task<int> ReplayAsync(string? consumer, string? messageId, CancellationToken cancellationToken)
    {
        var connection = await connections.GetConnectionAsync(cancellationToken);
        var replayed = 0;
        foreach (var settings in Select(consumer))
        {
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            // Messages we skip stay unacked until the channel closes, so the loop never sees them twice.
            while (await channel.BasicGetAsync(settings.DeadLetterQueue, autoAck: false, cancellationToken) is { } message)
            {
                if (messageId is not null && message.BasicProperties.MessageId != messageId)
                {
                    continue;
                }
                var headers = new Dictionary<string, object?>(message.BasicProperties.Headers ?? new Dictionary<string, object?>());
                headers.Remove(MessageHeaders.Attempt);
                headers.Remove(MessageHeaders.DeadLetterReason);
                headers.Remove(MessageHeaders.DeadLetteredAt);
                var properties = new BasicProperties(message.BasicProperties) { Headers = headers, Persistent = true };
                await channel.BasicPublishAsync("", settings.Queue, mandatory: false, properties, message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
            }
            await channel.CloseAsync(cancellationToken);
        }
        return replayed;
    }

    private IEnumerable<ConsumerSettings> Select(string? consumer) =>
        consumer is null ? registry.Consumers : registry.Consumers.Where(c => c.Name.Equals(consumer, StringComparison.OrdinalIgnoreCase));

    private static DeadLetter Describe(ConsumerSettings settings, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        return new DeadLetter(settings.Name, settings.DeadLetterQueue, message.BasicProperties.MessageId,
            MessageHeaders.GetString(headers, MessageHeaders.OriginalRoutingKey),
            MessageHeaders.GetString(headers, MessageHeaders.DeadLetterReason),
            MessageHeaders.GetInt(headers, MessageHeaders.Attempt, 1),
            MessageHeaders.GetString(headers, MessageHeaders.DeadLetteredAt),
            Encoding.UTF8.GetString(message.Body.Span));
    }
}
