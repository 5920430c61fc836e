namespace Fanout.Topics;

/// <summary>
/// The replay window of one topic: the newest events, bounded by count and by bytes.
/// Events are appended in seq order, so a seq maps to its index by subtraction.
/// </summary>
public sealed class TopicHistory
{
    private readonly Queue<TopicEvent> _events = new();
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
    public long? FirstSeq => _events.Count == 0 ? null : _events.Peek().Seq;

    public void Append(TopicEvent evt)
    {
        if (_maxEvents == 0 || _maxBytes == 0)
        {
            return;
        }

        _events.Enqueue(evt);
        _bytes += evt.SizeInBytes;
        while (_events.Count > 1 && (_events.Count > _maxEvents || _bytes > _maxBytes))
        {
            _bytes -= _events.Dequeue().SizeInBytes;
        }
    }

    public IEnumerable<TopicEvent> Events => _events;

    /// <summary>Events after <paramref name="afterSeq"/> up to <paramref name="upToSeq"/>, within a byte budget.</summary>
    public IReadOnlyList<TopicEvent> Read(long afterSeq, long upToSeq, int maxBytes)
    {
        if (_events.Count == 0 || upToSeq <= afterSeq)
        {
            return Array.Empty<TopicEvent>();
        }

        var page = new List<TopicEvent>();
        long used = 0;
        foreach (var evt in _events)
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
