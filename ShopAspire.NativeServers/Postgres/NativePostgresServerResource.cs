using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers.Postgres;

/// <summary>
/// A PostgreSQL server run from Debian's binaries as a DCP executable, with the connection string
/// shape of Aspire's PostgresServerResource, so a service cannot tell it from the container.
/// </summary>
public sealed class NativePostgresServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    /// <summary>Database resource name to database name, created when the server is ready.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}
