using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers.Postgres;

/// <summary>A database on a <see cref="NativePostgresServerResource"/>; Aspire's PostgresDatabaseResource's shape.</summary>
public sealed class NativePostgresDatabaseResource(string name, string databaseName, NativePostgresServerResource parent)
    : Resource(name), IResourceWithParent<NativePostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public NativePostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
