using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers;

internal static class NativeSecrets
{
    /// <summary>
    /// A server's password as Aspire makes one (generated, kept in user secrets, overridable as
    /// <c>Parameters:&lt;name&gt;</c>), added to the model so the dashboard lists it. No special
    /// characters: it goes into shell launchers and URIs unescaped.
    /// </summary>
    public static ParameterResource Password(IDistributedApplicationBuilder builder, string serverName)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{serverName}-password", special: false);
        builder.AddResource(password);
        return password;
    }
}
