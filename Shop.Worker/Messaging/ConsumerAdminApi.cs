using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Worker.Messaging;

/// <summary>
/// The worker's operations API: consumer statistics and dead letters (list, replay), for admins only.
/// GET  /api/v1/admin/consumers
/// GET  /api/v1/admin/dead-letters?consumer=payments
/// POST /api/v1/admin/dead-letters/{consumer}/replay?messageId=...
/// </summary>
public static class ConsumerAdminApi
{
    public static WebApplication MapConsumerAdminApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(AdminAccessExtensions.Policy);
        admin.MapGet("/consumers", (ConsumerRegistry registry, ConsumerMetrics metrics) => TypedResults.Ok(
            registry.Consumers.Select(c => new
            {
                c.Name,
                c.Queue,
                c.Prefetch,
                c.Concurrency,
                c.MaxAttempts,
                RetryDelaySeconds = c.RetryDelay.TotalSeconds,
                Outcomes = metrics.Snapshot(c.Name),
                QueueDepth = metrics.Depths.GetValueOrDefault(c.Queue),
                RetryQueueDepth = metrics.Depths.GetValueOrDefault(c.RetryQueue),
                DeadLetterQueueDepth = metrics.Depths.GetValueOrDefault(c.DeadLetterQueue),
            })));
        admin.MapGet("/dead-letters", async Task<Results<Ok<IReadOnlyList<DeadLetter>>, NotFound>> (
            DeadLetterQueues queues, ConsumerRegistry registry, string? consumer, CancellationToken cancellationToken) =>
            consumer is not null && registry.Find(consumer) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(await queues.ListAsync(consumer, cancellationToken)));
        admin.MapPost("/dead-letters/{consumer}/replay", async Task<Results<Ok<ReplayResult>, NotFound>> (
            string consumer, string? messageId, DeadLetterQueues queues, ConsumerRegistry registry, CancellationToken cancellationToken) =>
            registry.Find(consumer) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(new ReplayResult(await queues.ReplayAsync(consumer, messageId, cancellationToken))));
        return app;
    }
}

public sealed record ReplayResult(int Replayed);
