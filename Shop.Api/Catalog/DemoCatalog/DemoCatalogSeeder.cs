using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Api.Catalog.DemoCatalog;

/// <summary>
/// Fills an empty catalog with <see cref="DemoProducts"/> on a developer's first start, once.
/// </summary>
/// <remarks>
/// Once, with any number of replicas starting together: one transaction inserts the marker row
/// <c>data_seeds('demo-catalog')</c> and the products. A second replica's insert of the same
/// marker waits for the first transaction, then finds the row and does nothing; a seed that
/// fails rolls back its marker too, so the next start tries again. A catalog that already has
/// products (someone's own data) is left alone and marked as seeded. The rows are inserted
/// directly, without ProductCreated events: they are fixtures, not an admin's actions.
/// </remarks>
internal sealed partial class DemoCatalogSeeder(
    NpgsqlDataSource dataSource,
    MigrationState migrations,
    TimeProvider clock,
    ILogger<DemoCatalogSeeder> logger) : AfterMigrationsService(migrations)
{
    public const string SeedName = "demo-catalog";
    private const int MaxAttempts = 3;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => _done.Task.IsCompleted;

    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SeedAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && attempt < MaxAttempts)
            {
                LogRetrying(ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A demo is a convenience: the API serves without it.
                LogFailed(ex);
                break;
            }
        }
        _done.TrySetResult();
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var mark = new NpgsqlCommand("INSERT INTO data_seeds (name) VALUES (@name) ON CONFLICT (name) DO NOTHING", connection, transaction))
        {
            mark.Parameters.AddWithValue("name", SeedName);
            if (await mark.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                LogAlreadySeeded();
                return;
            }
        }

        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM products)", connection, transaction))
        {
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken))!)
            {
                await transaction.CommitAsync(cancellationToken);
                LogCatalogNotEmpty();
                return;
            }
        }

        var inserted = await InsertProductsAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogSeeded(inserted);
    }

    private async Task<int> InsertProductsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Categories interleaved and spread over the last days, newest first, so the first page
        // shows a bit of everything. Ids are UUIDv7 of the same instants, as the API makes them.
        var products = DemoProducts.All
            .Select((product, index) => (product, index))
            .GroupBy(p => p.product.Category)
            .SelectMany(group => group.Select((p, rank) => (p.product, Order: (rank * 10) + (p.index % 10))))
            .OrderBy(p => p.Order)
            .Select(p => p.product)
            .ToList();
        var newest = clock.GetUtcNow().AddMinutes(-5);
        var created = products.Select((_, i) => newest.AddMinutes(-47 * i)).ToArray();

        const string sql = """
            INSERT INTO products (id, name, description, category_id, price, currency, stock, created_at, updated_at, metadata)
            SELECT d.id, d.name, d.description, c.id, d.price, 'EUR', d.stock, d.created_at, d.created_at, '{"demo": true}'::jsonb
            FROM unnest(@ids, @names, @descriptions, @categories, @prices, @stocks, @created)
                AS d(id, name, description, category, price, stock, created_at)
            LEFT JOIN categories c ON c.slug = d.category
            """;
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", created.Select(Guid.CreateVersion7).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("names", products.Select(p => p.Name).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("descriptions", products.Select(p => p.Description).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("categories", products.Select(p => p.Category).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<decimal[]>("prices", products.Select(p => p.Price).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<int[]>("stocks", products.Select(p => p.Stock).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("created", created.Select(c => c.UtcDateTime).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo catalog: {Count} products (Development only; Shop:SeedDemoCatalog=false skips it).")]
    private partial void LogSeeded(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The demo catalog was seeded before; nothing to do.")]
    private partial void LogAlreadySeeded();

    [LoggerMessage(Level = LogLevel.Information, Message = "The catalog already has products: the demo catalog is not added.")]
    private partial void LogCatalogNotEmpty();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeding the demo catalog failed (attempt {Attempt}); retrying.")]
    private partial void LogRetrying(Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Seeding the demo catalog failed; the API serves without it.")]
    private partial void LogFailed(Exception exception);
}

/// <summary>Not ready until the demo catalog is in (or skipped): a first page is never cached empty.</summary>
internal sealed class DemoCatalogHealthCheck(DemoCatalogSeeder seeder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(seeder.IsDone
            ? HealthCheckResult.Healthy("Demo catalog seeded.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Seeding the demo catalog."));
}
