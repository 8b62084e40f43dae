namespace Shop.Worker.Analytics;

public static class AnalyticsExtensions
{
    public static IHostApplicationBuilder AddOrderAnalytics(this IHostApplicationBuilder builder)
    {
        builder.AddConsumer<Orders.OrderPaid, OrderAnalyticsHandler>(new ConsumerSettings(OrderAnalyticsHandler.Consumer, "worker.analytics", [ShopEvents.OrderPaid])
        {
            Prefetch = 32,
            Concurrency = 4, // a minute's counts are spread over 8 rows
            MaxAttempts = 5,
            RetryDelay = TimeSpan.FromSeconds(2),
        });
        return builder;
    }
}
