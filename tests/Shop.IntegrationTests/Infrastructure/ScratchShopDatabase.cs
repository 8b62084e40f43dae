extern alias ShopApi;

using Npgsql;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A database of its own on the stack's Postgres, built from the API's own migrations: for tests
/// that load volume or rows the running services must not see (no relay claims its outbox rows,
/// no query of another test meets its data). Dropped on dispose.
/// </summary>
public sealed class ScratchShopDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ScratchShopDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Creates <c>{prefix}_{guid}</c> on the server of <paramref name="shopDb"/> and applies every migration to it.</summary>
    public static async Task<ScratchShopDatabase> CreateAsync(string shopDb, string prefix)
    {
        var server = new NpgsqlConnectionStringBuilder(shopDb) { Database = "postgres", Pooling = false }.ConnectionString;
        var scratch = new ScratchShopDatabase(server, $"{prefix}_{Guid.NewGuid():N}");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"CREATE DATABASE {scratch._name}");
        }

        await using var db = await scratch.OpenAsync();
        var assembly = typeof(ShopApi::Shop.Api.Database.MigrationState).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(".Database.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            await using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            await ExecuteAsync(db, await reader.ReadToEndAsync());
        }
        return scratch;
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        return db;
    }

    public static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }
}
