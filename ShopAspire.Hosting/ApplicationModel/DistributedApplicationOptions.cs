namespace ShopAspire.Hosting;

public sealed class DistributedApplicationOptions
{
    public string[] Args { get; set; } = [];

    /// <summary>
    /// Where persistent resources (WithDataVolume) keep their data. Defaults to a folder per AppHost
    /// outside the repository (see <see cref="StackDirectories"/>); the test builder sets none.
    /// </summary>
    public string? DataRoot { get; set; }

    /// <summary>Throwaway data, durability traded for speed: what the test builder uses.</summary>
    public bool EphemeralData { get; set; }

    /// <summary>Print the resource table and state changes to the console.</summary>
    public bool ConsoleReporting { get; set; } = true;

    /// <summary>The environment the projects run in (ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT).</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>
    /// OTLP endpoint the projects export telemetry to. Taken from Aspire's
    /// DOTNET_DASHBOARD_OTLP_ENDPOINT_URL when set, as a real AppHost does.
    /// </summary>
    public string? OtlpEndpoint { get; set; } =
        Environment.GetEnvironmentVariable("DOTNET_DASHBOARD_OTLP_ENDPOINT_URL")
        ?? Environment.GetEnvironmentVariable("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL");

    /// <summary>How long a resource may take to become healthy before it is reported as failed.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a process is given to stop after SIGTERM before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
