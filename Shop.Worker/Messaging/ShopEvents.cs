namespace Shop.Worker.Messaging;

public static class ShopEvents
{
    /// <summary>Durable topic exchange the API publishes domain events to.</summary>
    public const string Exchange = "shop.events";
}
