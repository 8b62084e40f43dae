using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>A database on a Postgres server, created when the server is healthy.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent, IRunnableResource
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = parent;

    public IResource Parent => Server;

    public string TypeName => "PostgresDatabase";

    public string ConnectionStringExpression => $"{{{Server.Name}.connectionString}};Database={DatabaseName}";

    public IEnumerable<ServerPackage> RequiredPackages => [];

    public string GetConnectionString() => $"{Server.GetConnectionString()};Database={DatabaseName}";

    public IResourceRunner CreateRunner(RunContext context) => new PostgresDatabaseRunner(this);
}
