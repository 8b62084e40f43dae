namespace ShopAspire.Hosting;

/// <summary>A .NET project of the solution, run from its build output.</summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata)
    : Resource(name), IResourceWithEnvironment, IResourceWithWaitSupport, IResourceWithServiceDiscovery, IRunnableResource
{
    public IProjectMetadata Metadata { get; } = metadata;

    public EndpointAnnotation HttpEndpoint { get; } = new("http", "http");

    /// <summary>The http endpoint and every endpoint added with WithEndpoint (an smtp port, say).</summary>
    public IReadOnlyList<EndpointAnnotation> Endpoints => [HttpEndpoint, .. Annotations.OfType<EndpointAnnotation>()];

    /// <summary>
    /// The connection string other resources get for this project (ConnectionStrings__{name}),
    /// when it serves something other than HTTP: Aspire's MailPit gives <c>smtp://host:port</c>.
    /// </summary>
    public string? ConnectionString =>
        Annotations.OfType<EndpointConnectionStringAnnotation>().LastOrDefault() is { } annotation
            ? Endpoints.Single(e => e.Name == annotation.EndpointName) is var endpoint && endpoint.IsAllocated
                ? $"{endpoint.Scheme}://{endpoint.Host}:{endpoint.Port}"
                : throw new InvalidOperationException($"'{Name}' has not started.")
            : null;

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

    /// <summary>
    /// Another endpoint of the project on a free port (Aspire's WithEndpoint). <paramref name="env"/>
    /// names the environment variable that tells the project its port, as Aspire's env parameter does.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEndpoint(this IResourceBuilder<ProjectResource> builder, string name, string scheme, string? env = null, int? port = null)
    {
        if (builder.Resource.Endpoints.Any(e => e.Name == name))
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{name}'.");
        }
        return builder.WithAnnotation(new EndpointAnnotation(name, scheme, port) { EnvironmentVariable = env });
    }

    /// <summary>
    /// Referencing projects get ConnectionStrings__{name} = <c>{scheme}://host:port</c> of the endpoint,
    /// the shape Aspire's mail server integrations (MailPit, MailDev) inject.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEndpointConnectionString(this IResourceBuilder<ProjectResource> builder, string endpointName)
    {
        if (builder.Resource.Endpoints.All(e => e.Name != endpointName))
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no endpoint named '{endpointName}'.");
        }
        return builder.WithAnnotation(new EndpointConnectionStringAnnotation(endpointName));
    }
}
