namespace Fanout.Topics;

/// <summary>
/// The replay window of one topic: the newest events, bounded by count, by bytes and
/// (optionally) by age. Events are appended in seq order.
/// </summary>
public sealed class TopicHistory
{
    private readonly Queue<(TopicEvent Event, long AcceptedAtMs)> _events = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private long _bytes;

    public TopicHistory(int maxEvents, long maxBytes)
    {
        _maxEvents = Math.Max(0, maxEvents);
        _maxBytes = Math.Max(0, maxBytes);
    }

    public int Count => _events.Count;

    public long Bytes => _bytes;

    /// <summary>The oldest seq held, or null when empty.</summary>
    public long? FirstSeq => _events.Count == 0 ? null : _events.Peek().Event.Seq;

    /// <param name="acceptedAtMs">When the topic accepted the event (Unix milliseconds), for the age bound.</param>
    public void Append(TopicEvent evt, long acceptedAtMs = 0)
    {
        if (_maxEvents == 0 || _maxBytes == 0)
        {
            return;
        }

        _events.Enqueue((evt, acceptedAtMs));
        _bytes += evt.SizeInBytes;
        while (_events.Count > 1 && (_events.Count > _maxEvents || _bytes > _maxBytes))
        {
            _bytes -= _events.Dequeue().Event.SizeInBytes;
        }
    }

    /// <summary>Drops every event accepted before <paramref name="cutoffMs"/> (Unix milliseconds).</summary>
    public void ExpireAcceptedBefore(long cutoffMs)
    {
        while (_events.Count > 0 && _events.Peek().AcceptedAtMs < cutoffMs)
        {
            _bytes -= _events.Dequeue().Event.SizeInBytes;
        }
    }

    public IEnumerable<TopicEvent> Events => _events.Select(e => e.Event);

    /// <summary>Events after <paramref name="afterSeq"/> up to <paramref name="upToSeq"/>, within a byte budget.</summary>
    public IReadOnlyList<TopicEvent> Read(long afterSeq, long upToSeq, int maxBytes)
    {
        if (_events.Count == 0 || upToSeq <= afterSeq)
        {
            return Array.Empty<TopicEvent>();
        }

        var page = new List<TopicEvent>();
        long used = 0;
        foreach (var (evt, _) in _events)
        {
            if (evt.Seq <= afterSeq)
            {
                continue;
            }

            if (evt.Seq > upToSeq || (page.Count > 0 && used + evt.SizeInBytes > maxBytes))
            {
                break;
            }

            page.Add(evt);
            used += evt.SizeInBytes;
        }

        return page;
    }
}
