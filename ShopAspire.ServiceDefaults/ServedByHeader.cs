using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names the replica that answered in an <c>X-Served-By</c> response header (the OpenTelemetry
/// service instance id Aspire gives it, e.g. <c>api-abcd1234</c>): behind one load-balanced address
/// it is how an operator, or a test, tells replicas apart and finds the replica's logs and traces.
/// The id is an orchestrator name, not a secret.
/// </summary>
internal sealed class ServedByHeader(IConfiguration configuration) : IStartupFilter
{
    public const string HeaderName = "X-Served-By";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var instance = InstanceName(configuration["OTEL_SERVICE_NAME"], InstanceId(configuration["OTEL_RESOURCE_ATTRIBUTES"]));
        return app =>
        {
            if (instance is not null)
            {
                app.Use((context, nextMiddleware) =>
                {
                    context.Response.Headers[HeaderName] = instance;
                    return nextMiddleware(context);
                });
            }
            next(app);
        };
    }

    // Aspire's service.instance.id is the replica's suffix (abcd1234); the dashboard and DCP name
    // the replica api-abcd1234, and that is the name an operator searches for.
    internal static string? InstanceName(string? serviceName, string? instanceId) =>
        (serviceName, instanceId) switch
        {
            ({ Length: > 0 } service, { Length: > 0 } id) when !id.StartsWith(service + "-", StringComparison.Ordinal) => $"{service}-{id}",
            (_, { Length: > 0 } id) => id,
            ({ Length: > 0 } service, _) => service,
            _ => null,
        };

    // OTEL_RESOURCE_ATTRIBUTES is "key=value,key=value".
    internal static string? InstanceId(string? resourceAttributes) =>
        resourceAttributes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0] == "service.instance.id" && kv[1].Length > 0)
            .Select(kv => kv[1])
            .FirstOrDefault();
}
