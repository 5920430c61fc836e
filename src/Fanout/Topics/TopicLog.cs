using Fanout.Hosting;
using Fanout.Sse;

namespace Fanout.Topics;

/// <summary>What a publish turns into: the answer for each draft, and the records to store.</summary>
/// <param name="Answers">One per draft, in order; duplicates carry the first acceptance.</param>
/// <param name="Fresh">The drafts that got a new seq, as journal records, in seq order.</param>
public sealed record PublishDecision(IReadOnlyList<AcceptedEvent> Answers, IReadOnlyList<TopicEventRecord> Fresh);

/// <summary>
/// The state of one topic as plain data: epoch, numbering, idempotency keys and the replay
/// window. The actors around it only decide when to call it: <see cref="Decide"/> numbers
/// a publish, <see cref="Apply"/> takes in an event once it is accepted (after the journal
/// confirmed it, or during recovery) and returns the event as subscribers receive it.
/// </summary>
public sealed class TopicLog
{
    private readonly TopicOptions _options;
    private readonly Dictionary<string, AcceptedEvent> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(long Seq, string Key)> _keyOrder = new();
    private TopicHistory _history;

    /// <summary>
    /// The epoch of a topic that has no event yet. A topic draws its real epoch with its
    /// first event; a position in this epoch has seen nothing, so moving from it to the
    /// real one loses nothing and is no reset. Ordinally before every drawn epoch.
    /// </summary>
    public const string EmptyEpoch = "0";

    public TopicLog(string topic, TopicOptions options)
    {
        Topic = topic;
        Epoch = EmptyEpoch;
        _options = options;
        _history = new TopicHistory(options.HistoryEvents, options.HistoryBytes);
    }

    public string Topic { get; }

    public string Epoch { get; private set; }

    /// <summary>The newest accepted (applied) seq; 0 while the topic has no event.</summary>
    public long LastSeq { get; private set; }

    /// <summary>The newest seq handed out by <see cref="Decide"/>; ahead of <see cref="LastSeq"/> while writes are in flight.</summary>
    public long NumberedSeq { get; private set; }

    /// <summary>Whether the topic ever accepted an event (or is about to).</summary>
    public bool IsEmpty => NumberedSeq == 0;

    public TopicHistory History => _history;

    /// <summary>The oldest seq still held (LastSeq + 1 when the history is empty).</summary>
    public long FirstAvailableSeq => _history.FirstSeq ?? LastSeq + 1;

    /// <summary>
    /// Numbers the drafts that are new and answers those whose key was seen while its
    /// event is still in history. Keys are taken at once, so a retry that arrives while
    /// the first write is in flight is a duplicate too.
    /// </summary>
    public PublishDecision Decide(IReadOnlyList<EventDraft> drafts, long nowMs)
    {
        if (IsEmpty)
        {
            Epoch = Cursor.NewEpoch();
        }

        var answers = new AcceptedEvent[drafts.Count];
        var fresh = new List<TopicEventRecord>(drafts.Count);
        Dictionary<string, AcceptedEvent>? batchKeys = null;
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            if (draft.Key is not null
                && (_keys.TryGetValue(draft.Key, out var earlier) || (batchKeys?.TryGetValue(draft.Key, out earlier) ?? false)))
            {
                answers[i] = earlier with { Duplicate = true };
                continue;
            }

            var seq = ++NumberedSeq;
            answers[i] = new AcceptedEvent(seq, new TopicPosition(Epoch, seq).ToString(), false);
            fresh.Add(new TopicEventRecord(Topic, Epoch, seq, draft.Type, draft.Data, draft.Key, nowMs));
            if (draft.Key is not null)
            {
                (batchKeys ??= new Dictionary<string, AcceptedEvent>(StringComparer.Ordinal))[draft.Key] = answers[i];
            }
        }

        if (batchKeys is not null)
        {
            foreach (var (key, accepted) in batchKeys)
            {
                RememberKey(key, accepted);
            }
        }

        return new PublishDecision(answers, fresh);
    }

    /// <summary>
    /// Takes in an accepted event: it becomes the newest, enters the history and keeps its
    /// key. The frame is encoded here, once, for every subscriber.
    /// </summary>
    public TopicEvent Apply(TopicEventRecord record)
    {
        if (LastSeq == 0 && NumberedSeq == 0)
        {
            // Recovery: the journal's epoch is the topic's.
            Epoch = record.Epoch;
        }

        LastSeq = record.Seq;
        NumberedSeq = Math.Max(NumberedSeq, record.Seq);
        var evt = new TopicEvent(
            Topic,
            record.Epoch,
            record.Seq,
            SseEncoder.IdLine(new TopicPosition(record.Epoch, record.Seq).ToString()),
            SseEncoder.EventBody(record.Type, record.Data));
        _history.Append(evt, record.AcceptedAtMs);
        if (record.Key is not null && !_keys.ContainsKey(record.Key))
        {
            RememberKey(record.Key, new AcceptedEvent(record.Seq, new TopicPosition(record.Epoch, record.Seq).ToString(), false));
        }

        ForgetKeysBefore(FirstAvailableSeq);
        return evt;
    }

    /// <summary>Drops what is older than the age bound (none without one).</summary>
    public void Expire(long nowMs)
    {
        if (_options.HistoryMaxAgeSeconds > 0)
        {
            _history.ExpireAcceptedBefore(nowMs - (_options.HistoryMaxAgeSeconds * 1000L));
            ForgetKeysBefore(FirstAvailableSeq);
        }
    }

    /// <summary>
    /// The newest seq whose journal row may go: everything older than the history, but
    /// never the newest event, whose row keeps the epoch for the next recovery.
    /// </summary>
    public long DeletableUpToSeq => Math.Min(FirstAvailableSeq - 1, LastSeq - 1);

    public HistorySlice Read(ReadHistory read)
    {
        var upTo = Math.Min(read.UpToSeq, LastSeq);
        var events = _history.Read(read.AfterSeq, upTo, Math.Max(1, read.MaxBytes));
        return new HistorySlice(Topic, Epoch, FirstAvailableSeq, LastSeq, events);
    }

    /// <summary>Where the event with <paramref name="key"/> stands while it is in history and stored (see <see cref="LocateKey"/>).</summary>
    public KeyLocation Locate(string key)
    {
        long? seq = _keys.TryGetValue(key, out var accepted) && accepted.Seq <= LastSeq && accepted.Seq >= FirstAvailableSeq
            ? accepted.Seq
            : null;
        return new KeyLocation(Topic, key, Epoch, seq, FirstAvailableSeq, LastSeq);
    }

    public TopicState State() =>
        new(Topic, Epoch, LastSeq, FirstAvailableSeq, _history.Count, _history.Bytes);

    /// <summary>The keys still covered by history, for a hand-off.</summary>
    public IReadOnlyList<RememberedKey> Keys => _keys.Select(k => new RememberedKey(k.Key, k.Value)).ToList();

    /// <summary>Takes over the state another incarnation handed off (memory store moves).</summary>
    public void Adopt(TopicSnapshot snapshot, long nowMs)
    {
        Epoch = snapshot.Epoch;
        LastSeq = snapshot.LastSeq;
        NumberedSeq = snapshot.LastSeq;
        _history = new TopicHistory(_options.HistoryEvents, _options.HistoryBytes);
        foreach (var evt in snapshot.Events)
        {
            // A hand-off carries no acceptance times: the age bound counts from the adoption.
            _history.Append(evt, nowMs);
        }

        foreach (var remembered in snapshot.Keys)
        {
            RememberKey(remembered.Key, remembered.Accepted);
        }

        ForgetKeysBefore(FirstAvailableSeq);
    }

    private void RememberKey(string key, AcceptedEvent accepted)
    {
        _keys[key] = accepted;
        _keyOrder.Enqueue((accepted.Seq, key));
    }

    /// <summary>Idempotency keys are remembered as long as their event is in the history.</summary>
    private void ForgetKeysBefore(long oldest)
    {
        while (_keyOrder.Count > 0 && _keyOrder.Peek().Seq < oldest)
        {
            var (seq, key) = _keyOrder.Dequeue();
            if (_keys.TryGetValue(key, out var kept) && kept.Seq == seq)
            {
                _keys.Remove(key);
            }
        }
    }
}
