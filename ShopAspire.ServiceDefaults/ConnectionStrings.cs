using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

internal static class ConnectionStrings
{
    /// <summary>
    /// Reads <c>ConnectionStrings:{name}</c>, the key an Aspire AppHost's WithReference fills.
    /// Called when the client is first resolved (not at registration) so configuration added
    /// late, e.g. by a test host, is honoured.
    /// </summary>
    public static string GetRequired(IConfiguration configuration, string name)
    {
        var connectionString = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string 'ConnectionStrings:{name}' is missing. Set it in configuration " +
                $"(environment variable ConnectionStrings__{name}) or reference the '{name}' resource from the AppHost.");
        }

        return connectionString;
    }
}
