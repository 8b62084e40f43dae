namespace Shop.PaymentProvider.Charges;

public static class ChargesExtensions
{
    public static IHostApplicationBuilder AddCharges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChargeStore>();
        builder.Services.AddSingleton<ProviderCounters>();
        builder.Services.AddSingleton<ChargeSchema>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChargeSchema>());
        builder.Services.AddHealthChecks().AddCheck<ChargeSchemaHealthCheck>("charges-schema", tags: [DefaultHealthCheckExtensions.ReadyTag]);
        return builder;
    }

    public static WebApplication MapChargesApi(this WebApplication app)
    {
        app.MapPost("/v1/charges", ChargeEndpoints.CreateAsync);
        app.MapGet("/v1/charges", ChargeEndpoints.ListAsync);
        app.MapGet("/v1/charges/stats", ChargeEndpoints.StatsAsync);
        return app;
    }
}
