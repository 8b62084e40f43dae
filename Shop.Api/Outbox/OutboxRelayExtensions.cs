using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shop.Api.ApiDocs;

namespace Shop.Api.Outbox;

public static class OutboxRelayExtensions
{
    /// <summary>The outbox writer, the relay, its wake-up signal, metrics and the retention of sent messages. Needs AddNpgsqlDataSource and AddRabbitMQClient.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<OutboxWriter>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<OutboxBacklogSampler>();
        builder.Services.Configure<OutboxRetentionOptions>(builder.Configuration.GetSection("Outbox:Retention"));
        builder.Services.AddHostedService<OutboxRetention>();
        return builder;
    }

    /// <summary>GET /api/v1/admin/outbox: backlog, oldest unsent age and recent lag (what the gauges show).</summary>
    public static RouteHandlerBuilder MapOutboxAdminApi(this WebApplication app) =>
        app.MapGet("/api/v1/admin/outbox", async Task<Ok<OutboxStatus>> (NpgsqlDataSource dataSource, OutboxStore store, CancellationToken cancellationToken) =>
        {
            var backlog = await store.MeasureBacklogAsync(dataSource, cancellationToken);
            var lag = await store.MeasureLagAsync(dataSource, TimeSpan.FromMinutes(1), cancellationToken);
            return TypedResults.Ok(new OutboxStatus(backlog.Pending, backlog.OldestPendingAgeSeconds, lag));
        })
        .WithTags(ApiTags.Operations)
        .WithName("GetOutboxStatus")
        .WithSummary("The outbox backlog, its oldest unsent age and the last minute's lag (admin).");
}

public sealed record OutboxStatus(long Pending, double OldestPendingAgeSeconds, OutboxLag LastMinute);
