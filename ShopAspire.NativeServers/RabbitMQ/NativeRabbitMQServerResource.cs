using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers.RabbitMQ;

/// <summary>A RabbitMQ node from Debian's package as a DCP executable, with Aspire's RabbitMQServerResource connection string shape.</summary>
public sealed class NativeRabbitMQServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string ManagementEndpointName = "management";
    public const string UserName = "guest";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    /// <summary>As Aspire's: the password URI-encoded (an overridden password may hold '@', ':' or '/').</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserName}:{PasswordParameter:uri}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
