using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers;

/// <summary>
/// A server's endpoint without DCP's proxy in front of it: the clients connect to the server's own
/// port. DCP's proxy copies every byte of every SQL statement, cache call and AMQP frame through one
/// more process; measured under the test suite it cost two thirds as much CPU as the API itself,
/// and when the server is down it accepts connections and holds them instead of refusing them.
/// A proxy buys a project its replicas behind one address; a server here has one instance.
/// </summary>
public static class DirectEndpoints
{
    /// <summary>
    /// An endpoint on a free loopback port chosen when the model is built (DCP allocates no port
    /// for an endpoint it does not proxy); the port is given to the server in <paramref name="env"/>.
    /// </summary>
    public static IResourceBuilder<T> WithDirectEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, string env)
        where T : IResourceWithEndpoints, IResourceWithEnvironment
    {
        var port = LoopbackPorts.Free();
        return builder.WithEndpoint(port: port, targetPort: port, scheme: scheme, name: name, env: env, isProxied: false);
    }

    /// <summary>
    /// An endpoint the resource already has (a project's from its launch profile) moved off DCP's
    /// proxy onto a free loopback port chosen now, for a resource of one instance: its clients
    /// reach it directly, and get "connection refused" at once while it is down.
    /// </summary>
    public static IResourceBuilder<T> WithoutProxy<T>(this IResourceBuilder<T> builder, string endpointName)
        where T : IResourceWithEndpoints
    {
        var port = LoopbackPorts.Free();
        return builder.WithEndpoint(endpointName, endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = port;
            endpoint.TargetPort = port;
        });
    }
}
