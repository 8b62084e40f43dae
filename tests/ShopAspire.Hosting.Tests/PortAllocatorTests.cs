using System.Net;
using System.Net.Sockets;
using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting.Tests;

public class PortAllocatorTests
{
    [Fact]
    public void Allocated_ports_are_distinct_and_free_on_loopback()
    {
        var allocator = new PortAllocator();

        var ports = Enumerable.Range(0, 50).Select(_ => allocator.Allocate()).ToArray();

        Assert.Equal(ports.Length, ports.Distinct().Count());
        foreach (var port in ports)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(); // Throws if something already holds the port.
            listener.Stop();
        }
    }

    [Fact]
    public void Allocated_ports_stay_below_the_ephemeral_range_that_outgoing_connections_use()
    {
        var allocator = new PortAllocator();

        var ports = Enumerable.Range(0, 50).Select(_ => allocator.Allocate()).ToArray();

        Assert.All(ports, port => Assert.InRange(port, PortAllocator.LowestPort, PortAllocator.EphemeralRangeStart - 1));
    }

    [Fact]
    public void A_port_held_on_the_IPv6_loopback_is_not_handed_out()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return; // Nothing to hold: Kestrel's "localhost" binds IPv4 only here.
        }
        var allocator = new PortAllocator();
        var probe = allocator.Allocate();
        // Hold the next candidates on [::1] only: Kestrel's "localhost" would fail on them.
        var held = Enumerable.Range(probe + 1, 5).Select(port =>
        {
            var listener = new TcpListener(IPAddress.IPv6Loopback, port);
            listener.Start();
            return listener;
        }).ToList();
        try
        {
            var next = allocator.Allocate();

            Assert.DoesNotContain(next, held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port));
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }
    }

    [Fact]
    public void Two_allocators_in_one_process_never_hand_out_the_same_port()
    {
        var first = new PortAllocator();
        var second = new PortAllocator();

        var ports = Enumerable.Range(0, 20).SelectMany(_ => new[] { first.Allocate(), second.Allocate() }).ToArray();

        Assert.Equal(ports.Length, ports.Distinct().Count());
    }
}
