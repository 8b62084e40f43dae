using System.Net;
using System.Net.Sockets;

namespace ShopAspire.Hosting.Infrastructure;

/// <summary>
/// Hands out free loopback ports, never the same one twice in a process, so two stacks on one
/// machine (or two test fixtures) never collide on a well-known port.
/// </summary>
public sealed class PortAllocator
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    public int Allocate()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                {
                    return port;
                }
            }
            throw new InvalidOperationException("No free loopback port found after 100 attempts.");
        }
    }
}
