using System.Diagnostics;

namespace Fanout.Subscribers;

/// <summary>
/// Keepalive comments for every subscriber stream of a node from one timer, instead of a
/// timer (and a message per check) per subscriber. Streams are spread over
/// <see cref="Slots"/> slots; each tick visits one slot, so every stream is checked once per
/// <c>check</c> interval and the comments of many idle streams are spread over it rather than
/// sent in one burst. A stream quiet for a whole check interval gets a comment: an idle
/// stream hears one every one to two check intervals (the heartbeat is half to one
/// <c>HeartbeatSeconds</c> when the check is half of it).
/// </summary>
public sealed class HeartbeatWheel : IDisposable
{
    public const int Slots = 32;

    private readonly List<StreamKeepAlive>[] _slots = new List<StreamKeepAlive>[Slots];
    private readonly long _quietTicks;
    private readonly Timer? _timer;
    private int _next;
    private int _hand;

    /// <param name="check">How often each stream is checked; also how long it must have been quiet to get a comment.</param>
    /// <param name="run">False: no timer, <see cref="Tick"/> is driven by the caller (tests).</param>
    public HeartbeatWheel(TimeSpan check, bool run = true)
    {
        if (check <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(check), check, "The heartbeat check interval must be positive.");
        }

        for (var i = 0; i < Slots; i++)
        {
            _slots[i] = [];
        }

        _quietTicks = (long)(check.TotalSeconds * Stopwatch.Frequency);
        if (run)
        {
            var tick = check / Slots;
            _timer = new Timer(static wheel => ((HeartbeatWheel)wheel!).Tick(Stopwatch.GetTimestamp()), this, tick, tick);
        }
    }

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
