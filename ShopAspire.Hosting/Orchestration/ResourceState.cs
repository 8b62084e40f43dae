namespace ShopAspire.Hosting;

/// <summary>The life of a resource, as the AppHost reports it (names follow Aspire's KnownResourceStates).</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Exited,
    FailedToStart,
    Finished,
}

/// <summary>What is known of a resource at one moment.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    ResourceState State,
    IReadOnlyList<Uri> Urls,
    int? ExitCode = null,
    string? Message = null,
    int? ProcessId = null)
{
    public bool IsTerminal => State is ResourceState.Exited or ResourceState.FailedToStart or ResourceState.Finished;
}
