namespace Shop.Api.Database;

/// <summary>
/// Background work that queries the shop's tables. It starts only once
/// <see cref="MigrationState"/> says the schema is up to date, so no relay, sampler or cleanup
/// ever runs a query against a table that does not exist yet ("relation ... does not exist" at
/// start-up). Stopping before the migrations finished simply ends it.
/// </summary>
public abstract class AfterMigrationsService(MigrationState migrations) : BackgroundService
{
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WhenCompleted.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await ExecuteAfterMigrationsAsync(stoppingToken);
    }

    /// <summary>The service's work; the schema exists when this is called.</summary>
    protected abstract Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken);
}
