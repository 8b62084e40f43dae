namespace ShopAspire.Hosting;

/// <summary>The relationships between resources, named as Aspire names them.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects the connection string of <paramref name="source"/> as ConnectionStrings__{name}.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new ResourceReferenceAnnotation(source.Resource, connectionName ?? source.Resource.Name));

    /// <summary>Injects the service-discovery entries (services__{name}__http__0) of a project.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new ResourceReferenceAnnotation(source.Resource, null));

    /// <summary>Starts this resource only when <paramref name="dependency"/> is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
    {
        if (ReferenceEquals(builder.Resource, dependency.Resource))
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' cannot wait for itself.");
        }
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilHealthy));
    }

    /// <summary>Starts this resource only when <paramref name="dependency"/> ran to completion with exit code 0.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
        => builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilCompleted));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(env => env[name] = value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<IDictionary<string, string>> callback)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(callback));

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new CommandLineArgsAnnotation(args));

    /// <summary>The resource is healthy when GET <paramref name="path"/> answers 2xx.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", string endpointName = "http")
        where T : IResourceWithEndpoints
        => builder.WithAnnotation(new HttpHealthCheckAnnotation(path, endpointName));

    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints
        => builder.WithAnnotation(new ExternalHttpEndpointsAnnotation());

    /// <summary>Keeps the resource's data between runs of the AppHost; the test builder ignores it.</summary>
    public static IResourceBuilder<T> WithDataVolume<T>(this IResourceBuilder<T> builder, string? name = null)
        where T : IResource
        => builder.WithAnnotation(new PersistentDataAnnotation(name));
}
