namespace Fanout.Mailbox;

/// <summary>
/// Remembers which events a full mailbox discarded, as runs of seq numbers per topic.
/// Written only on the overflow path (under a lock, so runs are recorded in drop order);
/// read by the owning actor, which turns each run into a <c>fanout.lagged</c> frame.
/// </summary>
/// <remarks>
/// Stays small by construction: consecutive drops of a topic extend its last run, and a
/// new run only starts after the consumer took an event of that topic, which is when it
/// drains the ledger.
/// </remarks>
public sealed class DropLedger
{
    private readonly object _gate = new();
    private readonly List<SeqRange> _runs = new();
    private long _totalDropped;
    private volatile bool _hasRuns;
    private volatile IDropListener? _listener;

    public bool HasRuns => _hasRuns;

    public long TotalDropped => Interlocked.Read(ref _totalDropped);

    /// <summary>Tells <paramref name="listener"/> of every later drop (replaces an earlier listener).</summary>
    public void Listen(IDropListener listener) => _listener = listener;

    /// <summary>Records one dropped message. Callers hold the mailbox's drop lock.</summary>
    internal void Record(IDroppableMessage dropped)
    {
        var total = Append(dropped);
        _listener?.OnDropped(dropped, total);
    }

    private long Append(IDroppableMessage dropped)
    {
        lock (_gate)
        {
            var total = Interlocked.Increment(ref _totalDropped);
            for (var i = _runs.Count - 1; i >= 0; i--)
            {
                var run = _runs[i];
                if (run.Topic != dropped.Topic)
                {
                    continue;
                }

                if (run.ToSeq + 1 == dropped.Seq)
                {
                    _runs[i] = run with { ToSeq = dropped.Seq };
                    _hasRuns = true;
                    return total;
                }

                break;
            }

            _runs.Add(new SeqRange(dropped.Topic, dropped.Seq, dropped.Seq));
            _hasRuns = true;
            return total;
        }
    }

    /// <summary>Takes every run recorded so far, oldest first.</summary>
    public IReadOnlyList<SeqRange> TakeAll()
    {
        lock (_gate)
        {
            if (_runs.Count == 0)
            {
                return Array.Empty<SeqRange>();
            }

            var taken = _runs.ToArray();
            _runs.Clear();
            _hasRuns = false;
            return taken;
        }
    }
}
