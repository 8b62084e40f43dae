using DbUp;
using DbUp.Postgresql;
using Npgsql;

namespace Shop.Api.Database;

/// <summary>
/// Brings the schema up to date with DbUp, then marks <see cref="MigrationState"/> complete.
/// Retries until it succeeds: at startup the database may still be coming up.
/// </summary>
internal sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    MigrationState state,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    // Any fixed bigint shared by every replica of this service ("ShopDbUp" in ASCII).
    private const long MigrationLockKey = 0x53686F7044625570;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await MigrateAsync(stoppingToken);
                state.MarkCompleted();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogMigrationFailed(ex, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // Replicas start together. A session-level advisory lock, held on a connection of its own
        // for the whole upgrade, makes them take turns: the first applies the scripts, the others
        // then find nothing left to do. (DbUp's journal alone would race on the same script.)
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(lockConnection, "SELECT pg_advisory_lock(@key)", cancellationToken);
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly,
                    name => name.Contains(".Database.Migrations.", StringComparison.Ordinal)
                        && name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                .WithTransactionPerScript()
                .LogTo(logger)
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration script '{result.ErrorScript?.Name}' failed.", result.Error);
            }

            LogMigrated(result.Scripts.Count());
        }
        finally
        {
            await ExecuteAsync(lockConnection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        // Waiting for another replica's upgrade may take longer than a normal query.
        command.CommandTimeout = 0;
        await command.ExecuteScalarAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date ({ScriptCount} scripts applied now).")]
    private partial void LogMigrated(int scriptCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database migration failed; retrying in {Delay}.")]
    private partial void LogMigrationFailed(Exception exception, TimeSpan delay);
}
