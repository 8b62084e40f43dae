namespace Shop.Api.Catalog;

/// <summary>Announces catalog changes to the rest of the system.</summary>
public sealed partial class ProductEvents(IEventPublisher publisher, TimeProvider clock, ILogger<ProductEvents> logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Publishes <see cref="ProductCreated"/> after the insert committed. Never throws: the
    /// product exists whatever the broker does, so a broker outage must not fail the request.
    /// </summary>
    /// <remarks>
    /// Publish-after-commit can lose the event if the process dies (or the broker is down)
    /// between the commit and the confirm. The transactional outbox (a later issue) fixes that
    /// by storing the event in the same transaction as the product.
    /// </remarks>
    public async Task PublishCreatedAsync(ProductDto product)
    {
        var @event = new ProductCreated(Guid.CreateVersion7(), product.Id, product.Name, product.Price, product.Currency, clock.GetUtcNow());

        // Deliberately not the request's token: once the product is committed, a client that
        // hangs up should not stop the event from going out.
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await publisher.PublishAsync(ProductCreated.RoutingKey, @event.EventId, @event, timeout.Token);
        }
        catch (Exception ex)
        {
            LogPublishFailed(ex, product.Id, @event.EventId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Product {ProductId} was created but its ProductCreated event {EventId} could not be published.")]
    private partial void LogPublishFailed(Exception exception, Guid productId, Guid eventId);
}
