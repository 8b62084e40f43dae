namespace Shop.Api.Insights;

public static class InsightsExtensions
{
    /// <summary>The business meter (orders, carts, pending orders, best sellers) for the operator's dashboards.</summary>
    public static IHostApplicationBuilder AddBusinessMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BusinessMetrics>();
        builder.Services.AddHostedService<BusinessSnapshotSampler>();
        return builder;
    }
}
