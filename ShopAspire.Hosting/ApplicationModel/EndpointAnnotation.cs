namespace ShopAspire.Hosting;

/// <summary>
/// A network endpoint of a resource. The port is chosen when the app starts (a free loopback port)
/// unless one is fixed, so two stacks on one machine never collide.
/// </summary>
public sealed class EndpointAnnotation(string name, string scheme, int? fixedPort = null) : IResourceAnnotation
{
    public string Name { get; } = name;

    public string Scheme { get; } = scheme;

    public int? FixedPort { get; } = fixedPort;

    public string Host { get; } = "localhost";

    /// <summary>An environment variable that tells the resource itself this endpoint's port.</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The port allocated at start; null until then.</summary>
    public int? AllocatedPort { get; internal set; }

    public bool IsAllocated => AllocatedPort is not null;

    public int Port => AllocatedPort ?? throw new InvalidOperationException($"Endpoint '{Name}' has no port yet: the resource has not been started.");

    public Uri Url => new($"{Scheme}://{Host}:{Port}");
}
