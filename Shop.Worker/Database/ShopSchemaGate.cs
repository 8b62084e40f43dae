namespace Shop.Worker.Database;

/// <summary>
/// Shop.Api owns shopdb's schema and migrates it at its start-up; the worker only uses it. Its
/// consumers wait here before their first message, until every table their handlers touch
/// exists, so a worker started before (or without) the API never fails a message with
/// "relation ... does not exist" and dead-letters it. Once open, the gate stays open.
/// </summary>
public sealed partial class ShopSchemaGate(Func<CancellationToken, Task<IReadOnlyList<string>>> findMissingTables, TimeProvider clock, ILogger<ShopSchemaGate> logger)
{
    /// <summary>Every table the worker's handlers read or write (Shop.Api/Database/Migrations creates them).</summary>
    public static readonly IReadOnlyList<string> RequiredTables =
    [
        "processed_messages", "orders", "order_lines", "order_status_changes", "order_payments", "order_emails",
        "order_analytics_minutes", "catalog_activity", "outbox_messages", "products", "users",
    ];

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private volatile bool _open;

    public ShopSchemaGate(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ShopSchemaGate> logger)
        : this(cancellationToken => FindMissingTablesAsync(dataSource, cancellationToken), clock, logger)
    {
    }

    public bool IsOpen => _open;

    /// <summary>Returns once the schema is there; checks (one caller at a time) until it is.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_open)
        {
            return;
        }
        await _checking.WaitAsync(cancellationToken);
        try
        {
            var delay = FirstDelay;
            while (!_open)
            {
                IReadOnlyList<string> missing;
                try
                {
                    missing = await findMissingTables(cancellationToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    LogCheckFailed(ex.Message, delay);
                    missing = ["(database unreachable)"];
                }
                if (missing.Count == 0)
                {
                    _open = true;
                    break;
                }
                LogWaiting(string.Join(", ", missing), delay);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
        finally
        {
            _checking.Release();
        }
    }

    private static async Task<IReadOnlyList<string>> FindMissingTablesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // to_regclass is NULL for a table that does not exist (no error, no lock on anything).
        await using var command = dataSource.CreateCommand("SELECT t FROM unnest(@tables) AS t WHERE to_regclass(t) IS NULL");
        command.Parameters.AddWithValue("tables", RequiredTables.ToArray());
        var missing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetString(0));
        }
        return missing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for Shop.Api's migrations before consuming: missing tables {Tables}; checking again in {Delay}.")]
    private partial void LogWaiting(string tables, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the schema ({Reason}); checking again in {Delay}.")]
    private partial void LogCheckFailed(string reason, TimeSpan delay);
}
