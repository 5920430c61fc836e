namespace Fanout.Testing;

/// <summary>An open/closed gate that tasks await; opening it releases every waiter at once.</summary>
public sealed class Gate
{
    private readonly object _lock = new();
    private TaskCompletionSource _opened = NewOpened();

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _opened.Task.IsCompleted;
            }
        }
    }

    public void Open()
    {
        lock (_lock)
        {
            _opened.TrySetResult();
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_opened.Task.IsCompleted)
            {
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _opened.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewOpened()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        opened.SetResult();
        return opened;
    }
}
