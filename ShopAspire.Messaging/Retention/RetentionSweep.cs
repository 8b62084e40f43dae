using Npgsql;

namespace ShopAspire.Messaging.Retention;

/// <summary>
/// Deletes the rows of one table that are older than a retention, in batches: each batch is one
/// short statement (its own transaction), so a sweep after a long outage never locks millions of
/// rows at once or writes one huge transaction, and it stops when a batch comes back short.
/// Every replica may run the same sweep: the statement takes its rows with SKIP LOCKED, so the
/// replicas share the work instead of queueing on each other's rows.
/// </summary>
/// <remarks>
/// Hand-written because it is one statement and a loop; Postgres has no row TTL, and pg_partman
/// (drop a day's partition) is not among the servers this shop may assume.
/// </remarks>
public sealed class RetentionSweep(NpgsqlDataSource dataSource, RetentionPolicy policy)
{
    public const int BatchSize = 5_000;

    /// <summary>
    /// The batch statement of a <see cref="RetentionPolicy"/>: at most $2 rows of
    /// <paramref name="table"/> matching <paramref name="olderThan"/> (which compares with the
    /// interval $1), taken with SKIP LOCKED and deleted by their physical address. Written once,
    /// here, because <see cref="RunOnceAsync"/> relies on its parameters and on a short batch
    /// meaning nothing is left.
    /// </summary>
    /// <param name="orderBy">Oldest first where an index serves that order; none otherwise.</param>
    public static string DeleteStatement(string table, string olderThan, string? orderBy = null) =>
        $"""
        DELETE FROM {table}
        WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM {table}
            WHERE {olderThan}{(orderBy is null ? "" : " ORDER BY " + orderBy)}
            LIMIT $2
            FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>Deletes every row past the retention, batch by batch; returns how many.</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand(policy.DeleteSql);
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = policy.KeptFor });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }

    /// <summary>
    /// Runs the sweep at once and then every <see cref="RetentionPolicy.Interval"/> until stopped.
    /// A failed sweep (the database is down) is reported and tried again at the next tick.
    /// </summary>
    public async Task RunPeriodicallyAsync(TimeProvider clock, Action<long> swept, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(policy.Interval, clock);
        do
        {
            try
            {
                var deleted = await RunOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    swept(deleted);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
