namespace Shop.Worker.CatalogActivity;

/// <summary>Written to catalog_activity.processed_by, so one can tell which replica did the work.</summary>
public sealed record WorkerIdentity(string Name)
{
    public static string Describe(IHostApplicationBuilder builder)
    {
        // Under an AppHost OTEL_SERVICE_NAME is the resource or replica name ("worker").
        var service = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        return $"{service}@{Environment.MachineName}:{Environment.ProcessId}";
    }
}
