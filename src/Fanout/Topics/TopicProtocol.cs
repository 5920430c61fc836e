using Akka.Actor;

namespace Fanout.Topics;

/// <summary>Every message a topic actor takes names its topic, which is also its shard entity id.</summary>
public interface ITopicCommand
{
    string Topic { get; }
}

/// <summary>An event as a publisher submits it. <see cref="Data"/> is compact UTF-8 JSON.</summary>
public sealed record EventDraft(string Type, byte[] Data, string? Key);

/// <summary>Append events in order, all or nothing. Answered with <see cref="EventsAccepted"/>.</summary>
public sealed record PublishEvents(string Topic, IReadOnlyList<EventDraft> Events) : ITopicCommand;

public sealed record AcceptedEvent(long Seq, string Id, bool Duplicate);

public sealed record EventsAccepted(string Topic, string Epoch, IReadOnlyList<AcceptedEvent> Events);

/// <summary>
/// The answer to a <see cref="PublishEvents"/> whose events the journal did not store
/// (write failed or rejected): none of them was accepted or delivered.
/// </summary>
public sealed record PublishNotStored(string Topic, string Reason);

/// <summary>
/// Events with <c>AfterSeq &lt; seq &lt;= UpToSeq</c> from the history, at most
/// <see cref="MaxBytes"/> of frames (always at least one event when any is available).
/// Answered with <see cref="HistorySlice"/>.
/// </summary>
public sealed record ReadHistory(string Topic, long AfterSeq, long UpToSeq, int MaxBytes) : ITopicCommand;

/// <summary>
/// A page of history. <see cref="FirstAvailableSeq"/> is the oldest seq still held
/// (LastSeq + 1 when the history is empty).
/// </summary>
public sealed record HistorySlice(
    string Topic,
    string Epoch,
    long FirstAvailableSeq,
    long LastSeq,
    IReadOnlyList<TopicEvent> Events);

/// <summary>Answered with <see cref="TopicState"/>.</summary>
public sealed record GetTopicState(string Topic) : ITopicCommand;

public sealed record TopicState(
    string Topic,
    string Epoch,
    long LastSeq,
    long FirstAvailableSeq,
    int HistoryEvents,
    long HistoryBytes);

/// <summary>
/// Where the event published with idempotency key <see cref="Key"/> stands, while it is in
/// the topic's history (a dialect whose clients resume by their own event ids maps an id to
/// a seq with it). Answered with <see cref="KeyLocation"/>.
/// </summary>
public sealed record LocateKey(string Topic, string Key) : ITopicCommand;

/// <summary>
/// The answer to <see cref="LocateKey"/>: <see cref="Seq"/> is the keyed event's seq, or
/// null when no event in history has that key (never published, left the history, or not
/// yet stored). The topic's epoch and history span come along, as in <see cref="TopicState"/>.
/// </summary>
public sealed record KeyLocation(string Topic, string Key, string Epoch, long? Seq, long FirstAvailableSeq, long LastSeq);

/// <summary>
/// Told to a topic by <see cref="ActiveTopics"/> when it is the least recently used one past
/// the node's limit: the topic asks its shard to passivate it.
/// </summary>
public sealed record PassivateTopic
{
    public static readonly PassivateTopic Instance = new();
}

/// <summary>The shard's stop message for a passivating topic (it finishes its writes first).</summary>
public sealed record StopTopic
{
    public static readonly StopTopic Instance = new();
}

/// <summary>
/// A topic's periodic tick that applies the history's age bound. It does not count as use:
/// a topic that only gets these ticks still passivates after <c>Fanout:Topic:IdleMinutes</c>.
/// </summary>
public sealed record ExpireHistory : INotInfluenceReceiveTimeout
{
    public static readonly ExpireHistory Instance = new();
}
