using Akka.Actor;
using Fanout.Sse;
using Fanout.Subscribers;

namespace Fanout.Publishing;

/// <summary>
/// Registers <see cref="Subscriber"/> for <see cref="Topics"/> on this node. Answered, to
/// the sender, with <see cref="TopicsSubscribed"/> once every topic is attached: from then
/// on the subscriber receives every event after its start position, in seq order.
/// <see cref="Status"/>, when given, is what the node reports of the subscriber to operators.
/// </summary>
public sealed record SubscribeTopics(IActorRef Subscriber, IReadOnlyList<string> Topics, SubscriberStatus? Status = null);

/// <summary>Where each topic's live feed starts for the subscriber: it gets every seq after these.</summary>
public sealed record TopicsSubscribed(IReadOnlyDictionary<string, TopicPosition> Starts);

/// <summary>Answered with <see cref="LocalSubscribers"/>.</summary>
public sealed record GetLocalSubscribers
{
    public static readonly GetLocalSubscribers Instance = new();
}

/// <summary>This node's subscriber actors and, per topic it feeds, how many of them read it.</summary>
public sealed record LocalSubscribers(int Subscribers, IReadOnlyDictionary<string, int> ByTopic);

/// <summary>
/// Closes every local subscription with a <c>fanout.shutdown</c> frame whose <c>retry:</c>
/// is spread over <see cref="SpreadMillis"/>, so reconnects do not arrive all at once.
/// Answered with <see cref="LocalSubscribersClosing"/>.
/// </summary>
public sealed record CloseLocalSubscribers(string Node, int RetryMillis, int SpreadMillis);

public sealed record LocalSubscribersClosing(int Count);

/// <summary>Answered with <see cref="SubscriberDetails"/>: every subscriber of this node, for operators.</summary>
public sealed record GetSubscriberDetails
{
    public static readonly GetSubscriberDetails Instance = new();
}

public sealed record SubscriberDetails(IReadOnlyList<SubscriberInfo> Subscribers);

/// <summary>One subscriber as operators see it, at the moment it was asked.</summary>
public sealed record SubscriberInfo(
    string Id,
    string Node,
    IReadOnlyList<string> Topics,
    string? RemoteAddress,
    string? UserAgent,
    DateTimeOffset ConnectedAt,
    long Delivered,
    long Dropped,
    int MailboxDepth,
    DateTimeOffset? LastWriteAt)
{
    /// <summary>
    /// Slowest first: most dropped, then the oldest last successful write (never written
    /// counts as written when it connected), then the longest connected.
    /// </summary>
    public static IReadOnlyList<SubscriberInfo> SlowestFirst(IEnumerable<SubscriberInfo> subscribers) =>
        subscribers
            .OrderByDescending(s => s.Dropped)
            .ThenBy(s => s.LastWriteAt ?? s.ConnectedAt)
            .ThenBy(s => s.ConnectedAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
}

/// <summary>Closes the subscriber with this id if it lives on this node. Answered with <see cref="SubscriberClosed"/>.</summary>
public sealed record CloseSubscriber(string Id);

public sealed record SubscriberClosed(string Id, bool Found);
