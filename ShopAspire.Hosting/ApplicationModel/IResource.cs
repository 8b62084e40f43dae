namespace ShopAspire.Hosting;

/// <summary>A named part of the app model: a server, a database, a project.</summary>
public interface IResource
{
    string Name { get; }

    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>A resource that other resources reach through a connection string.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The connection string once the resource has started (ports and passwords are known).</summary>
    string GetConnectionString();

    /// <summary>The manifest expression, as Aspire writes it (e.g. <c>{postgres.connectionString};Database=shopdb</c>).</summary>
    string ConnectionStringExpression { get; }
}

/// <summary>A resource that is part of another one and cannot run before its parent (a database on a server).</summary>
public interface IResourceWithParent : IResource
{
    IResource Parent { get; }
}

/// <summary>A resource that receives environment variables (projects, executables).</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that can wait for others before it starts.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource that exposes network endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource whose endpoints other projects discover by name (services__name__http__0).</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>Base class that keeps the annotations every resource carries.</summary>
public abstract class Resource(string name) : IResource
{
    public string Name { get; } = ResourceName.Validate(name);

    public ResourceAnnotationCollection Annotations { get; } = [];

    public override string ToString() => Name;
}
