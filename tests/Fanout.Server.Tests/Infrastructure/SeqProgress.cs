namespace Fanout.Server.Tests.Infrastructure;

/// <summary>How far a reader got, as a seq that only grows; lets a writer await it.</summary>
public sealed class SeqProgress
{
    private readonly object _gate = new();
    private readonly List<(long Seq, TaskCompletionSource Reached)> _waiters = [];
    private long _seq;

    public long Current => Interlocked.Read(ref _seq);

    public void Advance(long seq)
    {
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            _seq = Math.Max(_seq, seq);
            done = _waiters.Where(w => w.Seq <= _seq).Select(w => w.Reached).ToList();
            _waiters.RemoveAll(w => w.Seq <= _seq);
        }

        done.ForEach(d => d.TrySetResult());
    }

    /// <summary>Completes once the reader reached <paramref name="seq"/>; fails after <paramref name="timeout"/>.</summary>
    public Task WhenReachedAsync(long seq, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_seq >= seq)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((seq, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }
}
