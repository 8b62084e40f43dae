namespace Shop.Api.Messaging;

/// <summary>The broker topology the API publishes to; consumers bind their own queues.</summary>
public static class ShopEvents
{
    /// <summary>Durable topic exchange for all domain events; routing key = "{context}.{event}".</summary>
    public const string Exchange = "shop.events";
}
