extern alias ShopApi;

using Microsoft.Extensions.Hosting;
using ShopApi::Shop.Api.Database;

namespace Shop.IntegrationTests.Startup;

/// <summary>Shop.Api's background work that needs the schema waits for the migrations (no stack needed).</summary>
public class AfterMigrationsServiceTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Work_that_needs_the_schema_starts_only_once_the_migrations_are_applied()
    {
        var migrations = new MigrationState();
        using var service = new RecordingService(migrations);

        await service.StartAsync(CancellationToken.None);
        await Task.Delay(Settle);
        Assert.False(service.Started.Task.IsCompleted, "the work ran before the migrations were applied");

        migrations.MarkCompleted();
        await service.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_before_the_migrations_are_applied_ends_the_service_without_running_its_work()
    {
        using var service = new RecordingService(new MigrationState());

        await service.StartAsync(CancellationToken.None);
        await Task.Delay(Settle); // waiting at the gate by now
        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(service.Started.Task.IsCompleted);
        Assert.True(service.ExecuteTask?.IsCompletedSuccessfully, $"ended as {service.ExecuteTask?.Status}, not quietly");
    }

    /// <summary>
    /// Every hosted service of Shop.Api waits for the migrations, except the ones that must not:
    /// the migrator itself, and the cache invalidation bus (Redis only, no table).
    /// A new background service that queries Postgres fails here until it derives from
    /// AfterMigrationsService (or is added below with its reason).
    /// </summary>
    [Fact]
    public void Every_background_service_of_the_api_waits_for_the_migrations()
    {
        string[] needNoSchema = ["DatabaseMigrator", "CacheInvalidationBus"];
        var services = typeof(MigrationState).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(BackgroundService).IsAssignableFrom(t))
            .ToArray();

        Assert.Contains(services, t => t.Name == "OutboxRelay");
        var ungated = services
            .Where(t => !typeof(AfterMigrationsService).IsAssignableFrom(t) && !needNoSchema.Contains(t.Name))
            .Select(t => t.FullName)
            .ToArray();
        Assert.Empty(ungated);
    }

    private sealed class RecordingService(MigrationState migrations) : AfterMigrationsService(migrations)
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
