using System.Reflection;

namespace ShopAspire.Hosting;

internal sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        Options = options;
    }

    public DistributedApplicationOptions Options { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>Set by the testing builder: it takes the builder instead of letting Program run the app.</summary>
    internal Testing.BuilderInterception? Interception { get; init; }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build()
    {
        Interception?.Capture(this); // Throws in test mode: Program.cs stops here, the test goes on.
        return BuildApplication();
    }

    internal DistributedApplication BuildApplication()
    {
        DependencyGraph.StartOrder(_resources); // Fail on a cycle now, not halfway through a start.
        var entry = Assembly.GetEntryAssembly();
        var appHostKey = $"{entry?.GetName().Name}|{AppContext.BaseDirectory}";
        return new DistributedApplication(_resources.ToArray(), Options, appHostKey);
    }
}
