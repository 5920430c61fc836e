using Akka.Actor;
using Fanout.Sse;

namespace Fanout.Publishing;

/// <summary>
/// Registers <see cref="Subscriber"/> for <see cref="Topics"/> on this node. Answered, to
/// the sender, with <see cref="TopicsSubscribed"/> once every topic is attached: from then
/// on the subscriber receives every event after its start position, in seq order.
/// </summary>
public sealed record SubscribeTopics(IActorRef Subscriber, IReadOnlyList<string> Topics);

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
