using Npgsql;

namespace Shop.Seeder;

/// <summary>Connections for bulk loading rows that are consistent by construction (the seeder's, a benchmark's).</summary>
public static class BulkCopyConnection
{
    /// <summary>
    /// As a superuser the per-row foreign key triggers are skipped (session_replication_role =
    /// replica), which is most of COPY's cost; without the privilege the checks simply run.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, TextWriter log, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SET session_replication_role = replica; SET synchronous_commit = off", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            log.WriteLine("Not a superuser: foreign keys are checked row by row (slower).");
        }
        return connection;
    }
}
