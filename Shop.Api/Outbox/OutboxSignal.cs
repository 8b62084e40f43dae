using Npgsql;

namespace Shop.Api.Outbox;

/// <summary>
/// LISTENs on channel outbox_messages (migration 0031's trigger NOTIFYs at each commit that wrote
/// outbox rows) on a connection of its own, and wakes the relay. A lost connection only means the
/// relay falls back to polling until it is back.
/// </summary>
internal sealed partial class OutboxSignal(NpgsqlDataSource dataSource, ILogger<OutboxSignal> logger)
{
    public const string Channel = "outbox_messages";
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Returns when a notification arrived or <paramref name="timeout"/> passed.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                Wake(); // whatever was written while we were not listening
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the relay will read everything anyway.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox LISTEN connection lost ({Reason}); polling until it is back.")]
    private partial void LogListenFailed(string reason);
}
