using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Owns the process's one RabbitMQ connection (connections are expensive; channels are cheap).
/// The first caller starts connecting with exponential retry; everyone shares that attempt,
/// each waiting only as long as its own cancellation token allows.
/// </summary>
public sealed class RabbitMqConnectionProvider(IConnectionFactory factory, ILogger<RabbitMqConnectionProvider> logger)
    : IAsyncDisposable
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<IConnection>? _connecting;

    public Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken = default)
    {
        Task<IConnection> connecting;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            if (_connecting is null || IsUnusable(_connecting))
            {
                // Not tied to the caller's token: a caller that gives up must not cancel the
                // attempt the others are waiting for. Task.Run keeps the connect's synchronous
                // start (DNS, socket setup) outside the lock.
                var disposing = _disposing.Token;
                _connecting = Task.Run(() => ConnectWithRetryAsync(disposing), CancellationToken.None);
            }

            connecting = _connecting;
        }

        return connecting.WaitAsync(cancellationToken);
    }

    private static bool IsUnusable(Task<IConnection> connecting)
    {
        if (connecting.IsFaulted || connecting.IsCanceled)
        {
            return true;
        }

        // A connection that is merely closed is usually being recovered automatically; only one
        // closed on purpose (by the application) will never come back.
        return connecting.IsCompletedSuccessfully
            && connecting.Result is { IsOpen: false, CloseReason.Initiator: ShutdownInitiator.Application };
    }

    private async Task<IConnection> ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await factory.CreateConnectionAsync(cancellationToken);
                logger.LogInformation("Connected to RabbitMQ at {Endpoint}.", connection.Endpoint);
                return connection;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                var delay = BaseDelay * Math.Pow(2, attempt - 1);
                logger.LogWarning(ex, "RabbitMQ is unreachable (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}.",
                    attempt, MaxAttempts, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is BrokerUnreachableException or SocketException or ConnectFailureException
        || ex.InnerException is SocketException;

    public async ValueTask DisposeAsync()
    {
        Task<IConnection>? connecting;
        lock (_gate)
        {
            if (_disposing.IsCancellationRequested)
            {
                return;
            }

            _disposing.Cancel();
            connecting = _connecting;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            var connection = connecting.Result;
            await connection.CloseAsync(TimeSpan.FromSeconds(5));
            await connection.DisposeAsync();
        }

        _disposing.Dispose();
    }
}
