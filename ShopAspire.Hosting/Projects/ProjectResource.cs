namespace ShopAspire.Hosting;

/// <summary>A .NET project of the solution, run from its build output.</summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata)
    : Resource(name), IResourceWithEnvironment, IResourceWithWaitSupport, IResourceWithServiceDiscovery, IRunnableResource
{
    public IProjectMetadata Metadata { get; } = metadata;

    public EndpointAnnotation HttpEndpoint { get; } = new("http", "http");

    public string TypeName => "Project";

    public IEnumerable<Infrastructure.ServerPackage> RequiredPackages => [];

    public IResourceRunner CreateRunner(RunContext context) => new ProjectRunner(this, context);
}

public static class ProjectResourceBuilderExtensions
{
    /// <summary>
    /// Adds a project; it listens on a free port, is healthy when /health answers 200 and receives
    /// Aspire's environment contract.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
        => builder.AddResource(new ProjectResource(name, new TProject())).WithHttpHealthCheck("/health");
}
