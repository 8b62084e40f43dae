using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Worker.Messaging;

public static class ConsumerExtensions
{
    /// <summary>Shared by every consumer: the registry, the pipeline's transactions and outbox, the retention of its de-duplication records, metrics, queue depth sampling, readiness and the dead-letter API.</summary>
    public static IHostApplicationBuilder AddMessageConsumers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsumerRegistry>();
        builder.Services.AddSingleton<ConsumerMetrics>();
        builder.Services.AddSingleton<DeadLetterQueues>();
        builder.Services.AddSingleton<OutboxWriter>();
        builder.Services.AddSingleton<IDeliveryTransactions, PostgresDeliveryTransactions>();
        builder.Services.AddSingleton(services => new ShopSchemaGate(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetRequiredService<ILogger<ShopSchemaGate>>()));
        builder.Services.AddHostedService<QueueDepthSampler>();
        builder.Services.Configure<ProcessedMessagesOptions>(builder.Configuration.GetSection("Consumers:ProcessedMessages"));
        builder.Services.AddHostedService<ProcessedMessagesRetention>();
        builder.Services.AddHealthChecks().AddCheck<ConsumersReadyHealthCheck>("consumers", tags: [DefaultHealthCheckExtensions.ReadyTag]);
        // The default is 30 s; consumers drain in at most 7 s. DCP waits ~15 s after SIGTERM (which
        // reaches us through `dotnet run`, a few seconds late on a busy machine) before it reports the
        // stop failed, so the whole shutdown, connection close included, must fit well inside that.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        return builder;
    }

    /// <summary>
    /// Adds a consumer with its own queue, prefetch and concurrency: <typeparamref name="THandler"/>
    /// (scoped: one per delivery) behind the shared <see cref="MessagePipeline{TEvent, THandler}"/>.
    /// </summary>
    public static IHostApplicationBuilder AddConsumer<TEvent, THandler>(this IHostApplicationBuilder builder, ConsumerSettings settings)
        where TEvent : class, IConsumedEvent<TEvent>
        where THandler : class, IEventHandler<TEvent>
    {
        builder.Services.AddScoped<THandler>();
        builder.Services.AddSingleton<IHostedService>(services =>
        {
            services.GetRequiredService<ConsumerRegistry>().Add(settings);
            // One handler built at start, and thrown away: a missing registration fails the
            // worker's start rather than every message, and the singletons the handler uses (its
            // meters among them: a breaker state gauge from the first second) exist from then on.
            using (var scope = services.CreateScope())
            {
                scope.ServiceProvider.GetRequiredService<THandler>();
            }
            IMessageHandler pipeline = ActivatorUtilities.CreateInstance<MessagePipeline<TEvent, THandler>>(services, settings.Name);
            return ActivatorUtilities.CreateInstance<QueueConsumer>(services, settings, pipeline);
        });
        return builder;
    }
}

/// <summary>
/// Ready once every consumer declared its queues: from then on no published event can miss them,
/// which is why the AppHost's WaitFor on the worker is enough for publishers.
/// </summary>
internal sealed class ConsumersReadyHealthCheck(ConsumerRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.AllReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("consumers are not consuming yet"));
}
