using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ShopAspire.NativeServers;

/// <summary>
/// A free loopback port for an endpoint DCP does not proxy here (epmd's, which the broker must be
/// told before it starts; the servers' and single-instance stand-ins' own ports). Chosen below the
/// kernel's ephemeral range: a port from "bind to 0" can be taken by an outgoing connection before
/// the server binds it.
/// </summary>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;

    public static int Free()
    {
        var high = EphemeralRangeStart() - 1;
        var span = high - Lowest;
        for (var attempt = 0; attempt < 200 && span > 100; attempt++)
        {
            var port = Lowest + Random.Shared.Next(span);
            if (CanBind(IPAddress.Loopback, port) && CanBind(IPAddress.IPv6Loopback, port))
            {
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException e) when (address.AddressFamily == AddressFamily.InterNetworkV6 &&
                                         e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            return true; // No IPv6 on this machine: nothing can hold the port there.
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            return int.Parse(text.Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
