using System.Text.Json;
using ShopAspire.Messaging.Outbox;

namespace Shop.Worker.Messaging.Pipeline;

/// <summary>
/// Everything between a delivery and a handler's business logic, the same for every consumer:
/// parse and validate (an unusable message is poison, never retried), a DI scope per delivery,
/// the transaction with the processed-message record (a duplicate fails at the handler's first
/// batch and is done, nothing of it committed), commit on Done and roll back on anything else,
/// and exceptions turned into outcomes (Requeue while stopping, Retry otherwise). Settling with the broker is <see cref="QueueConsumer"/>'s.
/// </summary>
public sealed partial class MessagePipeline<TEvent, THandler>(
    string consumer,
    IServiceScopeFactory scopes,
    IDeliveryTransactions transactions,
    OutboxWriter outbox,
    ILogger<MessagePipeline<TEvent, THandler>> logger) : IMessageHandler
    where TEvent : class, IConsumedEvent<TEvent>
    where THandler : IEventHandler<TEvent>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(message.MessageId))
        {
            return HandleResult.Poison("message has no message-id: it cannot be de-duplicated");
        }
        var parsed = Parse(message.Body, out var problem);
        if (parsed is null)
        {
            return HandleResult.Poison(problem!);
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var delivery = await transactions.BeginAsync(consumer, message.MessageId, stoppingToken);
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            var result = await handler.HandleAsync(parsed, new MessageContext(message, delivery, outbox), stoppingToken);
            if (result.Outcome == HandleOutcome.Done)
            {
                await delivery.CommitAsync();
            }
            return result;
        }
        catch (Exception ex) when (ProcessedMessages.IsDuplicate(ex))
        {
            return HandleResult.Done; // processed before: its effects are committed, and this attempt's rolled back
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return HandleResult.Requeue;
        }
        catch (Exception ex)
        {
            LogHandlingFailed(ex, consumer, message.MessageId);
            return HandleResult.Retry($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>The event, or null and why it can never be handled.</summary>
    public static TEvent? Parse(ReadOnlyMemory<byte> body, out string? problem)
    {
        try
        {
            var message = JsonSerializer.Deserialize<TEvent>(body.Span, JsonOptions);
            problem = message is null ? "body is JSON null" : TEvent.Validate(message);
            return problem is null ? message : null;
        }
        catch (JsonException ex)
        {
            problem = $"not a {typeof(TEvent).Name}: {ex.Message}";
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer}: handling {MessageId} threw.")]
    private partial void LogHandlingFailed(Exception exception, string consumer, string messageId);
}
