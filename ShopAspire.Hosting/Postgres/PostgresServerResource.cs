using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>A PostgreSQL server run as a private instance of this stack.</summary>
public sealed class PostgresServerResource(string name) : Resource(name), IResourceWithConnectionString, IRunnableResource, IResourceWithEndpoints
{
    public const string UserName = "postgres";

    public EndpointAnnotation Endpoint { get; } = new("tcp", "tcp");

    /// <summary>Set when the stack starts (generated, or read back from the persistent data).</summary>
    public string? Password { get; internal set; }

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public string TypeName => "Postgres";

    public string ConnectionStringExpression => $"Host={{{Name}.bindings.tcp.host}};Port={{{Name}.bindings.tcp.port}};Username={UserName};Password={{{Name}-password.value}}";

    public IEnumerable<ServerPackage> RequiredPackages => [PostgresBinaries.Package];

    public string GetConnectionString() =>
        $"Host={Endpoint.Host};Port={Endpoint.Port};Username={UserName};Password={Password ?? throw new InvalidOperationException($"'{Name}' has not started.")}";

    public IResourceRunner CreateRunner(RunContext context) => new PostgresRunner(this, context);
}
