using System.Diagnostics;
using Npgsql;
using RabbitMQ.Client.Events;

namespace Shop.Worker.CatalogActivity;

/// <summary>Records one ProductCreated delivery in catalog_activity.</summary>
public sealed partial class ProductCreatedHandler(
    CatalogActivityStore store,
    WorkerIdentity identity,
    ILogger<ProductCreatedHandler> logger)
{
    private static readonly ActivitySource ActivitySource = new("Shop.Worker");
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <param name="stoppingToken">Ends retry waits only; work already started runs to completion.</param>
    public async Task<DeliveryOutcome> HandleAsync(BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var parent = TraceContext.Extract(delivery.BasicProperties.Headers);
        using var activity = ActivitySource.StartActivity($"process {delivery.RoutingKey}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", delivery.Exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", delivery.RoutingKey);
        activity?.SetTag("messaging.message.id", delivery.BasicProperties.MessageId);

        var message = ProductCreated.TryParse(delivery.Body, out var problem);
        if (message is null)
        {
            LogMalformed(delivery.BasicProperties.MessageId, problem);
            activity?.SetStatus(ActivityStatusCode.Error, "malformed message");
            return DeliveryOutcome.Rejected;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                // CancellationToken.None: an insert that started finishes even during shutdown,
                // so its ack is not lost half way.
                var recorded = await store.RecordAsync(message, identity.Name, CancellationToken.None);
                if (!recorded)
                {
                    LogDuplicate(message.EventId);
                }

                return DeliveryOutcome.Processed;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                LogRetrying(ex, message.EventId, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return DeliveryOutcome.Requeue;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (Exception ex)
            {
                LogFailed(ex, message.EventId);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return DeliveryOutcome.Rejected;
            }
        }
    }

    // Database down, or the API has not created the table yet (its migrations run at startup):
    // both pass with time, so wait instead of dropping the event.
    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState == PostgresErrorCodes.UndefinedTable,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected malformed ProductCreated message {MessageId}: {Problem}")]
    private partial void LogMalformed(string? messageId, string? problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} was already recorded (redelivery); nothing to do.")]
    private partial void LogDuplicate(Guid eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record event {EventId} yet; retrying in {Delay}.")]
    private partial void LogRetrying(Exception exception, Guid eventId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording event {EventId} failed permanently; rejecting it.")]
    private partial void LogFailed(Exception exception, Guid eventId);
}
