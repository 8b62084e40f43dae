namespace Shop.Api.Database;

/// <summary>Set once by <see cref="DatabaseMigrator"/>; read by the readiness check.</summary>
public sealed class MigrationState
{
    private volatile bool _completed;

    public bool IsCompleted => _completed;

    public void MarkCompleted() => _completed = true;
}
