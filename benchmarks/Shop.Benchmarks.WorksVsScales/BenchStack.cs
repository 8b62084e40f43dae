using Npgsql;
using Shop.Testing;

namespace Shop.Benchmarks.WorksVsScales;

/// <summary>
/// The shop's app model started with throwaway data, trimmed to what the pairs touch: Postgres
/// (schema from the API's migrations), Redis, and one API replica that applies the migrations.
/// The worker, web front end, payment provider and mail server are left out: on 2 shared cores
/// their idle work is noise that would land on whichever side happened to be running.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    private static readonly string[] LeftOut = ["worker", "web", "payments", "mail"];

    private readonly ShopApp _app;

    private BenchStack(ShopApp app, NpgsqlDataSource database, string redis)
    {
        _app = app;
        Database = database;
        RedisConnectionString = redis;
    }

    /// <summary>shopdb, pooled like the API's own data source.</summary>
    public NpgsqlDataSource Database { get; }

    public string RedisConnectionString { get; }

    public static async Task<BenchStack> StartAsync()
    {
        var app = await BenchmarkStack.StartAsync<Projects.ShopAspire_AppHost>(
            LeftOut,
            ["api"],
            TimeSpan.FromMinutes(4),
            args: ["--ShopAspire:Replicas:api=1", "--ShopAspire:SeedDemoCatalog=false"]);
        var database = NpgsqlDataSource.Create(await app.ConnectionStringAsync("shopdb"));
        return new BenchStack(app, database, await app.ConnectionStringAsync("cache"));
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await _app.DisposeAsync();
    }
}
