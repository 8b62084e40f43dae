namespace Shop.Api.Messaging;

public interface IEventPublisher
{
    /// <summary>
    /// Publishes <paramref name="event"/> as persistent JSON to <see cref="ShopEvents.Exchange"/>
    /// and returns once the broker confirmed it. Throws when it could not.
    /// </summary>
    Task PublishAsync<TEvent>(string routingKey, Guid eventId, TEvent @event, CancellationToken cancellationToken);
}
