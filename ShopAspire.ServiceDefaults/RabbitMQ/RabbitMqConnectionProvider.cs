using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Owns the process's one RabbitMQ connection (connections are expensive; channels are cheap),
/// opened from the <see cref="IConnectionFactory"/> that Aspire's AddRabbitMQClient registers.
/// The first caller starts connecting with exponential retry; everyone shares that attempt,
/// each waiting only as long as its own cancellation token allows.
/// </summary>
/// <remarks>
/// Hand-written on purpose, next to Aspire's client: Aspire's <see cref="IConnection"/> singleton
/// connects synchronously inside DI resolution and throws after its retries, so whoever resolves it
/// first (a hosted service, host startup, the health check) blocks for half a minute and then fails
/// while the broker is down. The API must start and take checkouts during a broker outage (the
/// outbox buffers them), so nothing here resolves <see cref="IConnection"/>: ask this provider.
/// </remarks>
public sealed class RabbitMqConnectionProvider(
    IConnectionFactory factory,
    IHostEnvironment environment,
    ILogger<RabbitMqConnectionProvider> logger) : IAsyncDisposable
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    // Per attempt, well below the client's 30 s default, so a broker that accepts the socket but
    // never answers the handshake costs one short attempt, not the whole retry budget.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

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
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptTimeout.CancelAfter(AttemptTimeout);
                // The application's name labels the connection in the management UI, so one can
                // tell the services apart. Automatic and topology recovery (the client's defaults,
                // which the consumers rely on) reopen it, its channels and consumers after a
                // broker restart.
                var connection = await factory.CreateConnectionAsync(environment.ApplicationName, attemptTimeout.Token);
                logger.LogInformation("Connected to RabbitMQ at {Endpoint}.", connection.Endpoint);
                return connection;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex, cancellationToken))
            {
                var delay = BaseDelay * Math.Pow(2, attempt - 1);
                logger.LogWarning(ex, "RabbitMQ is unreachable (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}.",
                    attempt, MaxAttempts, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken disposing) =>
        ex is BrokerUnreachableException or SocketException or ConnectFailureException
        || ex.InnerException is SocketException
        // The attempt timed out (not the provider being disposed).
        || (ex is OperationCanceledException && !disposing.IsCancellationRequested);

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
            // Short: this runs after the host's drain, inside the orchestrator's stop budget (DCP
            // gives a process ~15 s after SIGTERM before it reports the stop failed); every
            // channel is closed by now, and the broker drops the connection itself anyway.
            await connection.CloseAsync(TimeSpan.FromSeconds(1));
            await connection.DisposeAsync();
        }

        _disposing.Dispose();
    }
}
