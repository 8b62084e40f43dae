using System.Net;
using System.Net.Sockets;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP relay to a server, so one process can lose that server while the rest of the
/// stack keeps it: point the process at <see cref="Port"/>, then <see cref="Cut"/> drops every
/// relayed connection and refuses new ones.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _cut = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;

    public TcpForwarder(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_cut.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_cut.Token);
                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(_targetHost, _targetPort, _cut.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                lock (_connections)
                {
                    _connections.Add(inbound);
                    _connections.Add(outbound);
                }
                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _cut.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>The server is gone for whoever came through here: connections reset, port closed.</summary>
    public void Cut()
    {
        lock (_connections)
        {
            // RST, not a polite FIN: set before the pumps are cancelled, which close sockets too.
            foreach (var connection in _connections)
            {
                try
                {
                    if (connection.Client is { } socket) // null once a pump has closed it
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // That connection had already ended on its own.
                }
            }
        }
        _cut.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
            _connections.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_cut.IsCancellationRequested)
        {
            Cut();
        }
        await _accepting;
        _cut.Dispose();
    }
}
