using System.Collections;

namespace Fanout.Load.Subscribers;

/// <summary>
/// What one subscriber received, checked as it arrives. Two views: the tool's own seqs
/// (from the payload: which events arrived, how many twice) and, where the server's SSE
/// ids carry its seq, stream continuity (every server seq arrives in order or inside a
/// <c>fanout.lagged</c> range, never silently skipped, never twice).
/// </summary>
/// <remarks>Written by the subscriber's read loop only; counters are read by others through <see cref="Volatile"/>.</remarks>
public sealed class StreamAccount
{
    private readonly BitArray _seen;
    private long _received;
    private long _laggedSeqs;
    private long _lastReceiptMicros;
    private long? _position;

    public StreamAccount(int events)
    {
        _seen = new BitArray(events + 1);
    }

    /// <summary>Distinct published events received.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Server seqs reported dropped by <c>fanout.lagged</c>.</summary>
    public long LaggedSeqs => Volatile.Read(ref _laggedSeqs);

    /// <summary>Events received or reported lost: when this reaches the published count, the subscriber is done.</summary>
    public long Accounted => Received + LaggedSeqs;

    public long LastReceiptMicros => Volatile.Read(ref _lastReceiptMicros);

    public long Duplicates { get; private set; }

    public long LaggedRanges { get; private set; }

    public long Resets { get; private set; }

    /// <summary>Server seqs skipped with no <c>fanout.lagged</c> saying so.</summary>
    public long SilentGaps { get; private set; }

    /// <summary>Events or lagged ranges at or behind the stream's position (reordered or repeated).</summary>
    public long OrderViolations { get; private set; }

    /// <summary>The last server seq this stream accounted for (received or lagged), when ids carry one.</summary>
    public long? Position => _position;

    /// <summary>The stream's start, e.g. from the id of <c>fanout.connected</c>.</summary>
    public void StartAt(long serverSeq) => _position ??= serverSeq;

    public void OnEvent(long seq, long? serverSeq, long receiptMicros)
    {
        Volatile.Write(ref _lastReceiptMicros, receiptMicros);
        if (seq > 0 && seq < _seen.Length && !_seen[(int)seq])
        {
            _seen[(int)seq] = true;
            Volatile.Write(ref _received, _received + 1);
        }
        else
        {
            Duplicates++;
        }

        if (serverSeq is { } at)
        {
            Advance(at, at);
        }
    }

    public void OnLagged(long fromSeq, long toSeq)
    {
        LaggedRanges++;
        Volatile.Write(ref _laggedSeqs, _laggedSeqs + (toSeq - fromSeq + 1));
        Advance(fromSeq, toSeq);
    }

    public void OnReset() => Resets++;

    /// <summary>Whether the tool's seq <paramref name="seq"/> arrived.</summary>
    public bool Saw(long seq) => seq > 0 && seq < _seen.Length && _seen[(int)seq];

    private void Advance(long fromSeq, long toSeq)
    {
        if (_position is not { } position)
        {
            _position = toSeq;
            return;
        }

        if (fromSeq <= position)
        {
            OrderViolations++;
            _position = Math.Max(position, toSeq);
            return;
        }

        SilentGaps += fromSeq - position - 1;
        _position = toSeq;
    }
}
