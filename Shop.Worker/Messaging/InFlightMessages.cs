namespace Shop.Worker.Messaging;

/// <summary>Counts messages being handled, so shutdown can wait for them to finish.</summary>
internal sealed class InFlightMessages
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _idle;

    public void Enter()
    {
        lock (_gate)
        {
            _count++;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _count == 0
                ? Task.CompletedTask
                : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }
}
