namespace ShopAspire.Messaging;

/// <summary>
/// The broker topology every service agrees on: one durable topic exchange, routing key
/// "{context}.{event}" (docs/api.md, Events). Publishers write these names into the outbox;
/// consumers bind their own queues to them.
/// </summary>
public static class ShopEvents
{
    public const string Exchange = "shop.events";

    public const string OrderPlaced = "orders.placed";
    public const string OrderPaid = "orders.paid";
    public const string OrderStatusChanged = "orders.status-changed";
    public const string ProductCreated = "catalog.product-created";
}
