namespace Shop.Api.Database;

/// <summary>Set once by <see cref="DatabaseMigrator"/>; read by the readiness check and by start-up work that needs the schema.</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsCompleted => _completed.Task.IsCompleted;

    /// <summary>Completes when the schema is up to date.</summary>
    public Task WhenCompleted => _completed.Task;

    public void MarkCompleted() => _completed.TrySetResult();
}
