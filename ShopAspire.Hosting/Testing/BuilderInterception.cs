namespace ShopAspire.Hosting.Testing;

/// <summary>
/// How the testing builder takes over an AppHost's Program.cs: while an interception is active,
/// CreateBuilder applies test options and Build hands the builder to the test and ends Program
/// (Aspire's DistributedApplicationFactory does the same through a DiagnosticListener).
/// </summary>
internal sealed class BuilderInterception(Action<DistributedApplicationOptions> configureOptions)
{
    // A semaphore, not a lock: the test releases it after awaiting, possibly on another thread.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly TaskCompletionSource<DistributedApplicationBuilder> _captured = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static BuilderInterception? Current { get; private set; }

    public Task<DistributedApplicationBuilder> Captured => _captured.Task;

    public void ConfigureOptions(DistributedApplicationOptions options) => configureOptions(options);

    public void Capture(DistributedApplicationBuilder builder)
    {
        _captured.TrySetResult(builder);
        throw new BuilderCapturedException();
    }

    public void Fail(Exception exception) => _captured.TrySetException(exception);

    public static IDisposable Activate(BuilderInterception interception)
    {
        Gate.Wait();
        Current = interception;
        return new Deactivation();
    }

    private sealed class Deactivation : IDisposable
    {
        public void Dispose()
        {
            Current = null;
            Gate.Release();
        }
    }
}

/// <summary>Thrown by Build() under test to end the AppHost's Program; never seen by a test.</summary>
internal sealed class BuilderCapturedException() : Exception("The testing builder captured the application builder.");
