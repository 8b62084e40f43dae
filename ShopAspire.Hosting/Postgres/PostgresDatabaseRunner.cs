using Npgsql;

namespace ShopAspire.Hosting;

/// <summary>Creates the database on its server (the orchestrator starts it only once the server is healthy).</summary>
internal sealed class PostgresDatabaseRunner(PostgresDatabaseResource database) : IResourceRunner
{
    private readonly TaskCompletionSource<int> _never = new();

    public Task<int> Exited => _never.Task;

    public IReadOnlyList<Uri> Urls => [];

    public int? ProcessId => null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection($"{database.Server.GetConnectionString()};Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database.DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Identifiers cannot be parameters; the name was validated as a resource name or is quoted here.
            var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"") + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"{database.GetConnectionString()};Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
