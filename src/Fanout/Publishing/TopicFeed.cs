using Akka.Actor;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Publishing;

/// <summary>What a node knows about one topic it feeds to local subscribers.</summary>
internal sealed class TopicFeed
{
    public TopicFeed(string topic, DateTime subscribedAt)
    {
        Topic = topic;
        SubscribedAt = subscribedAt;
    }

    public string Topic { get; }

    public DateTime SubscribedAt { get; }

    public HashSet<IActorRef> Subscribers { get; } = new();

    /// <summary>Subscribe requests waiting for this feed to attach.</summary>
    public List<PendingSubscribe> Waiting { get; } = new();

    /// <summary>Live events that arrived while the feed was attaching or repairing a gap.</summary>
    public List<TopicEvent> Held { get; } = new();

    public bool Attached => Epoch is not null;

    public string? Epoch { get; set; }

    /// <summary>The last seq fanned out to local subscribers.</summary>
    public long LastSeq { get; set; }

    /// <summary>The seq a gap repair reads history up to, or null when none is running.</summary>
    public long? RepairUpTo { get; set; }

    public DateTime LastSync { get; set; }

    public TopicPosition Position => new(Epoch!, LastSeq);
}

/// <summary>A subscribe request that is waiting for some of its topics to attach.</summary>
internal sealed class PendingSubscribe
{
    public PendingSubscribe(IActorRef replyTo, IReadOnlyList<string> topics)
    {
        ReplyTo = replyTo;
        Topics = topics;
    }

    public IActorRef ReplyTo { get; }

    public IReadOnlyList<string> Topics { get; }

    public Dictionary<string, TopicPosition> Starts { get; } = new();
}
