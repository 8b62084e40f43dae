using System.Collections.ObjectModel;

namespace ShopAspire.Hosting;

/// <summary>Marker for metadata attached to a resource by the builder extensions.</summary>
public interface IResourceAnnotation;

public sealed class ResourceAnnotationCollection : Collection<IResourceAnnotation>
{
    public IEnumerable<T> OfType<T>() where T : IResourceAnnotation => this.Where(a => a is T).Cast<T>();
}

/// <summary>How long to wait for another resource before starting (Aspire's WaitFor / WaitForCompletion).</summary>
public enum WaitType
{
    /// <summary>The dependency is running and its health checks pass.</summary>
    WaitUntilHealthy,

    /// <summary>The dependency ran and exited with code 0.</summary>
    WaitUntilCompleted,
}

public sealed record WaitAnnotation(IResource Resource, WaitType WaitType) : IResourceAnnotation;

/// <summary>The resource uses a connection string or the endpoints of another resource.</summary>
public sealed record ResourceReferenceAnnotation(IResource Resource, string? ConnectionName) : IResourceAnnotation;

/// <summary>A callback that adds environment variables when the resource starts.</summary>
public sealed record EnvironmentCallbackAnnotation(Action<IDictionary<string, string>> Callback) : IResourceAnnotation;

/// <summary>Keep the resource's data between runs of the AppHost (Aspire's WithDataVolume).</summary>
public sealed record PersistentDataAnnotation(string? Name) : IResourceAnnotation;

/// <summary>The management UI of RabbitMQ is enabled.</summary>
public sealed record ManagementPluginAnnotation : IResourceAnnotation;

/// <summary>An HTTP path whose 2xx answer means the resource is healthy (Aspire's WithHttpHealthCheck).</summary>
public sealed record HttpHealthCheckAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>The resource's HTTP endpoints are reachable from outside the machine in publish mode.</summary>
public sealed record ExternalHttpEndpointsAnnotation : IResourceAnnotation;

/// <summary>Run this many copies of a project, each with its own port (Aspire's WithReplicas).</summary>
public sealed record ReplicaAnnotation(int Replicas) : IResourceAnnotation;

/// <summary>Extra command line arguments of an executable or project.</summary>
public sealed record CommandLineArgsAnnotation(IReadOnlyList<string> Args) : IResourceAnnotation;

/// <summary>The resource's connection string is <c>{scheme}://host:port</c> of this endpoint.</summary>
public sealed record EndpointConnectionStringAnnotation(string EndpointName) : IResourceAnnotation;
