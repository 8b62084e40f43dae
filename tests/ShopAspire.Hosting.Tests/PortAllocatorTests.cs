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
    public void Two_allocators_in_one_process_never_hand_out_the_same_port()
    {
        var first = new PortAllocator();
        var second = new PortAllocator();

        var ports = Enumerable.Range(0, 20).SelectMany(_ => new[] { first.Allocate(), second.Allocate() }).ToArray();

        Assert.Equal(ports.Length, ports.Distinct().Count());
    }
}
