using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ShopAspire.NativeServers.Packages;

namespace ShopAspire.NativeServers.Postgres;

public static class NativePostgresBuilderExtensions
{
    /// <summary>
    /// PostgreSQL from Debian's binaries under DCP, for machines without a container runtime: same
    /// name, connection string, password parameter (<c>{name}-password</c>) and health check as
    /// Aspire's AddPostgres. Data is thrown away per run unless <see cref="WithDataVolume"/>.
    /// </summary>
    public static IResourceBuilder<NativePostgresServerResource> AddNativePostgres(this IDistributedApplicationBuilder builder, string name)
    {
        var folders = NativeServerFolders.For(builder);
        var folder = folders.ForResource(name);
        var password = NativeSecrets.Password(builder, name);
        var server = new NativePostgresServerResource(name, "/bin/sh", folder, password);
        NativeServerSetup.Require(builder, ServerPackage.Postgres);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (_, ct) =>
            await CreateDatabasesAsync(server, connectionString!, ct).ConfigureAwait(false));
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            DatabaseStateMirror.Start(@event.Services, server, @event.Model.Resources.OfType<NativePostgresDatabaseResource>().Where(d => d.Parent == server));
            return Task.CompletedTask;
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("Connection string is unavailable")) + ";Database=postgres;Timeout=3;Pooling=false",
            name: healthCheckKey);

        List<string> serverOptions = ["-c", "max_connections=300", .. MemorySettings()];
        if (folders.Throwaway)
        {
            // Throwaway test data: nothing is forced to disk, so only a crash of the machine could
            // lose it, and tests run much faster. synchronous_commit stays on: a commit's WAL is
            // written (to the page cache) before the client hears of it, so a kill -9 of Postgres,
            // which the crash drills do, loses no acknowledged commit, as in production.
            serverOptions.AddRange(["-c", "fsync=off", "-c", "full_page_writes=off"]);
        }

        return builder.AddResource(server)
            .WithDirectEndpoint(NativePostgresServerResource.PrimaryEndpointName, "tcp", env: "PGPORT")
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithArgs(context =>
            {
                var script = LauncherScripts.WriteTo(folder, "postgres.sh");
                var bin = ServerPackage.PostgresBinDirectory() ?? "/usr/lib/postgresql/15/bin";
                context.Args.Add(script);
                context.Args.Add(bin);
                context.Args.Add(folder);
                foreach (var option in serverOptions)
                {
                    context.Args.Add(option);
                }
            })
            .WithAnnotation(new NativeDataAnnotation(folder))
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Postgres's defaults assume a small machine (128 MB of shared buffers, a 4 GB cache): sized to
    /// the machine instead, a shop with a million orders reads its hot pages from its own buffers
    /// rather than through the kernel on every miss, and the planner knows the OS cache. A
    /// thirty-second of the memory for buffers (two or three stacks fit on one machine), at most 1 GB.
    /// </summary>
    internal static string[] MemorySettings()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var bufferMb = Math.Clamp(total / 32 / (1024 * 1024), 128, 1024);
        var cacheMb = Math.Max(total / 4 / (1024 * 1024), 512);
        return ["-c", $"shared_buffers={bufferMb}MB", "-c", $"effective_cache_size={cacheMb}MB"];
    }

    /// <summary>Keeps the data across runs, as a volume does for the container (delete the folder to reset).</summary>
    public static IResourceBuilder<NativePostgresServerResource> WithDataVolume(this IResourceBuilder<NativePostgresServerResource> builder) =>
        builder.WithAnnotation(new KeepDataAnnotation());

    public static IResourceBuilder<NativePostgresDatabaseResource> AddDatabase(this IResourceBuilder<NativePostgresServerResource> builder, string name, string? databaseName = null)
    {
        databaseName ??= name;
        var database = new NativePostgresDatabaseResource(name, databaseName, builder.Resource);
        builder.Resource.Databases[name] = databaseName;

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("Connection string is unavailable")) + ";Timeout=3;Pooling=false",
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database).WithHealthCheck(healthCheckKey);
    }

    private static async Task CreateDatabasesAsync(NativePostgresServerResource server, string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                // Identifiers cannot be parameters; the name is the app model's own, quoted.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
