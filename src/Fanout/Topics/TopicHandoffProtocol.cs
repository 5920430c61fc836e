namespace Fanout.Topics;

/// <summary>
/// The shard's stop message for a topic that moves to another node (rebalance, graceful
/// leave): the topic sends its state to the other nodes' <see cref="TopicHandoffStore"/>s
/// before it stops, so its next incarnation continues the same epoch, seqs and history.
/// </summary>
public sealed record TopicHandOff
{
    public static readonly TopicHandOff Instance = new();
}

/// <summary>An idempotency key still covered by history.</summary>
public sealed record RememberedKey(string Key, AcceptedEvent Accepted);

/// <summary>
/// One page of a moving topic's state; pages of one hand-off share <see cref="Epoch"/> and
/// arrive in order, the last with <see cref="IsLast"/>. Pages keep each remote message
/// under the remoting frame size.
/// </summary>
public sealed record TopicSnapshotPage(
    string Topic,
    string Epoch,
    long LastSeq,
    bool IsLast,
    IReadOnlyList<TopicEvent> Events,
    IReadOnlyList<RememberedKey> Keys);

/// <summary>A starting topic asks its node's store for a hand-off snapshot. Answered with <see cref="TopicSnapshot"/> or <see cref="NoTopicSnapshot"/>.</summary>
public sealed record ClaimTopicSnapshot(string Topic);

public sealed record TopicSnapshot(string Topic, string Epoch, long LastSeq, IReadOnlyList<TopicEvent> Events, IReadOnlyList<RememberedKey> Keys);

public sealed record NoTopicSnapshot(string Topic);

/// <summary>A topic adopted its snapshot: every other copy of it is stale and goes.</summary>
public sealed record DiscardTopicSnapshot(string Topic, string Epoch);
