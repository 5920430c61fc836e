using System.Diagnostics;

namespace Fanout.Subscribers;

/// <summary>
/// Keepalive comments for every subscriber stream of a node from one timer, instead of a
/// timer (and a message per check) per subscriber. Streams are spread over
/// <see cref="Slots"/> slots; each tick visits one slot, so every stream is visited once per
/// turn, a quarter of the heartbeat interval, and the comments of many idle streams are
/// spread over the turn rather than sent in one burst. A stream quiet for two and a half
/// turns gets a comment: an idle stream hears one every three turns (¾ of the interval),
/// and no stream is silent for longer than three and a half turns (⅞ of it) plus the
/// timer's lateness, so the interval holds with room to spare. (A threshold of exactly
/// one turn, as a check "twice per interval" would have it, lands a hair after the next
/// visit and waits a whole turn more: silences of just over the interval.)
/// </summary>
public sealed class HeartbeatWheel : IDisposable
{
    public const int Slots = 32;

    private readonly List<StreamKeepAlive>[] _slots = new List<StreamKeepAlive>[Slots];
    private readonly long _quietTicks;
    private readonly Timer? _timer;
    private int _next;
    private int _hand;

    /// <param name="interval">The longest a stream may go without a frame (<c>HeartbeatSeconds</c>).</param>
    /// <param name="run">False: no timer, <see cref="Tick"/> is driven by the caller (tests).</param>
    public HeartbeatWheel(TimeSpan interval, bool run = true)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The heartbeat interval must be positive.");
        }

        for (var i = 0; i < Slots; i++)
        {
            _slots[i] = [];
        }

        Turn = interval / 4;
        _quietTicks = (long)(Turn.TotalSeconds * 2.5 * Stopwatch.Frequency);
        if (run)
        {
            var tick = Turn / Slots;
            _timer = new Timer(static wheel => ((HeartbeatWheel)wheel!).Tick(Stopwatch.GetTimestamp()), this, tick, tick);
        }
    }

    /// <summary>How long the wheel takes to visit every stream once: a quarter of the interval.</summary>
    public TimeSpan Turn { get; }

    /// <summary>Streams on the wheel.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var slot in _slots)
            {
                lock (slot)
                {
                    count += slot.Count;
                }
            }

            return count;
        }
    }

    /// <summary>Puts a stream on the wheel (once its opening frame is written: a comment may not come first).</summary>
    public void Add(StreamKeepAlive stream)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % Slots);
        var slot = _slots[index];
        lock (slot)
        {
            stream.Slot = index;
            slot.Add(stream);
        }
    }

    /// <summary>Takes a stream off the wheel; a stream not on it is ignored.</summary>
    public void Remove(StreamKeepAlive stream)
    {
        if (stream.Slot < 0)
        {
            return;
        }

        var slot = _slots[stream.Slot];
        lock (slot)
        {
            // Order within a slot does not matter: swap the last one into the gap.
            var at = slot.IndexOf(stream);
            if (at >= 0)
            {
                slot[at] = slot[^1];
                slot.RemoveAt(slot.Count - 1);
            }

            stream.Slot = -1;
        }
    }

    /// <summary>Checks the next slot's streams at <paramref name="now"/> (a Stopwatch timestamp).</summary>
    /// <returns>The comments written.</returns>
    public int Tick(long now)
    {
        var slot = _slots[(int)((uint)Interlocked.Increment(ref _hand) % Slots)];
        var written = 0;
        lock (slot)
        {
            // A beat is a channel TryWrite: it never blocks, so holding the slot is brief.
            foreach (var stream in slot)
            {
                if (stream.BeatIfQuiet(now, _quietTicks))
                {
                    written++;
                }
            }
        }

        return written;
    }

    public void Dispose() => _timer?.Dispose();
}
