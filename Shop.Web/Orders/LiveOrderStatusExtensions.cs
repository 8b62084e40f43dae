namespace Shop.Web.Orders;

public static class LiveOrderStatusExtensions
{
    public static IHostApplicationBuilder AddLiveOrderStatus(this IHostApplicationBuilder builder)
    {
        builder.AddRabbitMQClient("messaging");
        builder.AddRabbitMqConnectionProvider();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<OrderStatusFeed>();
        builder.Services.AddHostedService<OrderStatusListener>();

        // Pages render without RabbitMQ; only live status waits for it. So a broker outage makes
        // the web "Degraded" (still 200 on /health) instead of pulling every replica out of the
        // load balancer.
        builder.AddOptionalDependencies(DefaultHealthCheckExtensions.RabbitMQCheckName);
        return builder;
    }
}
