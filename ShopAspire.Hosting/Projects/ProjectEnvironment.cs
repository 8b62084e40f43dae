namespace ShopAspire.Hosting;

/// <summary>
/// The environment Aspire's AppHost gives a project in run mode (see shared/design/aspire-contract.md):
/// listening address, environment name, connection strings, service discovery and OpenTelemetry.
/// Kept in one place so the contract is easy to check against Aspire's.
/// </summary>
public static class ProjectEnvironment
{
    public static Dictionary<string, string> For(ProjectResource project, DistributedApplicationOptions options, string instanceId)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = project.HttpEndpoint.Url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = options.EnvironmentName,
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
            ["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instanceId}",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        };
        if (options.OtlpEndpoint is { Length: > 0 } otlp)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL") ?? "grpc";
            if (options.EnvironmentName == "Development")
            {
                env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
                env["OTEL_TRACES_SAMPLER"] = "always_on";
                env["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
            }
        }

        foreach (var endpoint in project.Endpoints.Where(e => e.EnvironmentVariable is not null))
        {
            env[endpoint.EnvironmentVariable!] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var reference in project.Annotations.OfType<ResourceReferenceAnnotation>())
        {
            switch (reference.Resource)
            {
                case IResourceWithConnectionString source:
                    env[$"ConnectionStrings__{reference.ConnectionName ?? source.Name}"] = source.GetConnectionString();
                    break;
                case ProjectResource service:
                    var url = service.HttpEndpoint.Url.ToString().TrimEnd('/');
                    env[$"services__{service.Name}__http__0"] = url;
                    env[$"{service.Name.ToUpperInvariant().Replace('-', '_')}_HTTP"] = url;
                    foreach (var endpoint in service.Endpoints.Skip(1))
                    {
                        env[$"services__{service.Name}__{endpoint.Name}__0"] = endpoint.Url.ToString().TrimEnd('/');
                    }
                    if (service.ConnectionString is { } connectionString)
                    {
                        env[$"ConnectionStrings__{service.Name}"] = connectionString;
                    }
                    break;
            }
        }

        foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            callback.Callback(env);
        }
        return env;
    }
}
