using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ShopAspire.NativeServers.RabbitMQ;

/// <summary>
/// Ready when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame: it
/// has finished booting and accepts clients. Hand-written because the library check needs a client
/// connection object per probe; this needs eight bytes.
/// </summary>
internal sealed class AmqpHealthCheck(Func<Uri?> address) : IHealthCheck
{
    private static readonly byte[] ProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (address() is not { } uri)
        {
            return HealthCheckResult.Unhealthy("The broker's address is not allocated yet.");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(ProtocolHeader, timeout.Token).ConfigureAwait(false);
            var frameType = new byte[1];
            var read = await stream.ReadAsync(frameType, timeout.Token).ConfigureAwait(false);
            return read == 1 && frameType[0] == 1
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The broker closed the connection before answering.");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"No AMQP answer: {e.Message}");
        }
    }
}
