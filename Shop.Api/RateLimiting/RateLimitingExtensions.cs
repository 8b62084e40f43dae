namespace Shop.Api.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>Per-client limits with counters in Redis (connection "cache"), fail-open.</summary>
    public static IHostApplicationBuilder AddRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RedisRateLimiter>();
        return builder;
    }

    /// <summary>
    /// After authentication, so a signed-in user is counted as themselves, not their IP; before
    /// authorization, so requests refused with 401/403 count too.
    /// </summary>
    public static WebApplication UseRateLimiting(this WebApplication app)
    {
        app.UseMiddleware<RateLimitMiddleware>();
        return app;
    }
}
