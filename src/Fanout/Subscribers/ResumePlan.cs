using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Subscribers;

/// <summary>
/// How a subscription starts from the client's Last-Event-ID, topic by topic: live from the
/// topic's current position (no cursor), a <c>fanout.reset</c> with its reason, or a replay
/// of the history after the cursor's position. Plain logic: the subscriber actor asks for
/// the first history page of each topic in <see cref="ToCheck"/>, hands it to
/// <see cref="Check"/>, then writes the resets and replays this plan ends up with.
/// </summary>
internal sealed class ResumePlan
{
    private readonly CursorShape _shape;
    private readonly IReadOnlyList<string> _topics;
    private readonly TopicPosition[] _starts;
    private readonly List<(string Topic, string Reason)> _resets = new();
    private readonly List<(int Slot, long UpTo, HistorySlice First)> _replays = new();

    private ResumePlan(CursorShape shape, IReadOnlyList<string> topics, TopicPosition[] starts, bool cursorGiven)
    {
        _shape = shape;
        _topics = topics;
        _starts = starts;
        CursorGiven = cursorGiven;
        Positions = starts.ToArray();
    }

    /// <summary>Whether the client sent a cursor at all.</summary>
    public bool CursorGiven { get; }

    /// <summary>
    /// Where the stream stands per slot once the plan is settled: the cursor's position for
    /// a topic that replays, the topic's current one otherwise.
    /// </summary>
    public TopicPosition[] Positions { get; }

    /// <summary>
    /// Topics (by slot) whose cursor position is in the topic's current epoch: their history
    /// after <c>From</c>, read up to where the live feed starts (<c>UpTo</c>), decides.
    /// </summary>
    public IReadOnlyList<(int Slot, TopicPosition From, long UpTo)> ToCheck { get; private init; } = [];

    /// <summary>The resets to send, in the order of the request's topics.</summary>
    public IReadOnlyList<(string Topic, string Reason)> Resets =>
        _resets.OrderBy(reset => IndexOf(reset.Topic)).ToList();

    /// <summary>The topics (by slot) to replay from their first history page up to the seq where their live feed starts.</summary>
    public IReadOnlyList<(int Slot, long UpTo, HistorySlice First)> Replays => _replays;

    /// <summary><c>resumed</c> of the connected frame: a cursor was given and honoured for every topic.</summary>
    public bool Resumed => CursorGiven && _resets.Count == 0;

    /// <param name="topics">The request's topics, in its order (resets follow it).</param>
    /// <param name="starts">Each topic's current position, where its live feed starts.</param>
    public static ResumePlan Settle(
        CursorShape shape, IReadOnlyList<string> topics, string? lastEventId, IReadOnlyDictionary<string, TopicPosition> starts)
    {
        topics = topics.Distinct(StringComparer.Ordinal).ToList();
        var bySlot = shape.Topics.Select(topic => starts[topic]).ToArray();
        var cursorGiven = !string.IsNullOrEmpty(lastEventId);
        if (!cursorGiven)
        {
            return new ResumePlan(shape, topics, bySlot, cursorGiven: false);
        }

        if (!shape.TryParse(lastEventId, out var cursor))
        {
            // A cursor that does not fit these topics says nothing about any of them.
            var invalid = new ResumePlan(shape, topics, bySlot, cursorGiven: true);
            invalid._resets.AddRange(topics.Select(topic => (topic, ResetReason.CursorInvalid)));
            return invalid;
        }

        var toCheck = new List<(int Slot, TopicPosition From, long UpTo)>();
        var epochChanged = new List<string>();
        foreach (var topic in topics)
        {
            shape.TryGetSlot(topic, out var slot);
            var from = cursor[slot];
            if (from is { Epoch: TopicLog.EmptyEpoch, Seq: 0 })
            {
                // The cursor was issued before the topic's first event: it has seen nothing,
                // so it stands at the start of whatever epoch the topic has now.
                from = bySlot[slot] with { Seq = 0 };
            }

            if (from.Epoch == bySlot[slot].Epoch)
            {
                toCheck.Add((slot, from, bySlot[slot].Seq));
            }
            else
            {
                epochChanged.Add(topic);
            }
        }

        var plan = new ResumePlan(shape, topics, bySlot, cursorGiven: true) { ToCheck = toCheck };
        plan._resets.AddRange(epochChanged.Select(topic => (topic, ResetReason.EpochChanged)));
        return plan;
    }

    /// <summary>Decides a topic of <see cref="ToCheck"/> from the first page of its history after <paramref name="from"/>.</summary>
    public void Check(int slot, TopicPosition from, HistorySlice first)
    {
        var start = _starts[slot];
        var topic = _shape.Topics[slot];
        if (first.Epoch != from.Epoch)
        {
            _resets.Add((topic, ResetReason.EpochChanged));
        }
        else if (from.Seq > first.LastSeq)
        {
            _resets.Add((topic, ResetReason.CursorInvalid));
        }
        else if (from.Seq + 1 < first.FirstAvailableSeq && from.Seq < start.Seq)
        {
            _resets.Add((topic, ResetReason.CursorExpired));
        }
        else
        {
            Positions[slot] = from;
            _replays.Add((slot, start.Seq, first));
        }
    }

    private int IndexOf(string topic)
    {
        for (var i = 0; i < _topics.Count; i++)
        {
            if (string.Equals(_topics[i], topic, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return _topics.Count;
    }
}
