using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Worker.Payments;

public static class PaymentsExtensions
{
    /// <summary>
    /// The payments consumer (orders.placed). Its concurrency bounds the calls in flight to the
    /// provider; its own queue and channel keep a slow provider from delaying mail or analytics.
    /// </summary>
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PaymentMetrics>();
        builder.Services.AddSingleton<OrderPaymentStore>();
        builder.Services.AddHttpClient<PaymentProviderClient>(http => http.BaseAddress = new Uri("https+http://payments"))
            .AddPaymentResilience();
        // Its own client: the standard handler (from the service defaults) is enough for a probe;
        // the payments pipeline's breaker must count real charges only.
        builder.Services.AddHttpClient(PaymentProviderHealthCheck.HttpClientName, http => http.BaseAddress = new Uri("https+http://payments"));
        builder.Services.AddHealthChecks().AddCheck<PaymentProviderHealthCheck>(PaymentProviderHealthCheck.Name,
            failureStatus: HealthStatus.Degraded, tags: [DefaultHealthCheckExtensions.ReadyTag],
            timeout: DefaultHealthCheckExtensions.DependencyCheckTimeout);
        builder.AddConsumer<Orders.OrderPlaced, PaymentHandler>(new ConsumerSettings(PaymentHandler.Consumer, "worker.payments", [ShopEvents.OrderPlaced])
        {
            Prefetch = 32,
            Concurrency = 16,
            MaxAttempts = 5,
            RetryDelay = TimeSpan.FromSeconds(3),
        });
        return builder;
    }
}

public static class PaymentsAdminApi
{
    /// <summary>GET /api/v1/admin/payments: breaker state and openings, retries, outcomes (what the meter reports).</summary>
    public static RouteHandlerBuilder MapPaymentsAdminApi(this WebApplication app) =>
        app.MapGet("/api/v1/admin/payments", (PaymentMetrics metrics) => TypedResults.Ok(metrics.Snapshot()))
            .RequireAuthorization(AdminAccessExtensions.Policy);
}
