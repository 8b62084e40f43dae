namespace Shop.Api.Messaging;

public static class EventPublishingExtensions
{
    /// <summary>Needs AddRabbitMQClient first (it provides the connection).</summary>
    public static IHostApplicationBuilder AddEventPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IEventPublisher, RabbitMqEventPublisher>();
        builder.Services.AddSingleton<Outbox.OutboxWriter>();
        return builder;
    }
}
