using System.Net;
using System.Net.Sockets;

namespace ShopAspire.Hosting.Infrastructure;

/// <summary>
/// Hands out free loopback ports, never the same one twice in a process, so two stacks on one
/// machine (or two test fixtures) never collide on a well-known port.
/// </summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range, not from "bind to port 0": a port 0 answer
/// is an ephemeral port, and in the seconds between allocation and the resource binding it, any
/// outgoing connection on the machine (a test's HTTP client, Npgsql, the worker) may take it as
/// its local port, and the resource fails with "address already in use". Aspire avoids this
/// with DCP's proxies; we avoid it by staying out of the range outgoing connections use.
/// A candidate must bind on 127.0.0.1 and on [::1], because Kestrel's "localhost" binds both.
/// </remarks>
public sealed class PortAllocator
{
    /// <summary>Below this, ports belong to well-known and commonly configured services.</summary>
    public const int LowestPort = 10_000;

    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    // Each process starts at its own random point, so two stacks starting at once rarely probe the same ports.
    private static int _next = -1;

    /// <summary>The first port of the kernel's ephemeral range (Linux default 32768).</summary>
    public static int EphemeralRangeStart { get; } = ReadEphemeralRangeStart();

    public int Allocate()
    {
        lock (Gate)
        {
            var high = EphemeralRangeStart - 1;
            var span = high - LowestPort + 1;
            if (span < 1_000)
            {
                // An unusual kernel setting leaves no room below the ephemeral range: fall back to the kernel's choice.
                return AllocateFromKernel();
            }
            if (_next < 0)
            {
                _next = LowestPort + Random.Shared.Next(span);
            }
            for (var attempt = 0; attempt < span; attempt++)
            {
                var port = _next;
                _next = port >= high ? LowestPort : port + 1;
                if (!Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
            throw new InvalidOperationException($"No free loopback port between {LowestPort} and {high}.");
        }
    }

    private static int AllocateFromKernel()
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

    private static bool IsFree(int port) =>
        CanBind(IPAddress.Loopback, port) && (!Socket.OSSupportsIPv6 || CanBind(IPAddress.IPv6Loopback, port));

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported || e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            // No IPv6 loopback on this machine: Kestrel's "localhost" then binds IPv4 only.
            return address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int ReadEphemeralRangeStart()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var first = text.Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768; // Linux's default; IANA's dynamic range starts at 49152, higher still.
        }
    }
}
