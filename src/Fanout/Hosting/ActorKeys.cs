namespace Fanout.Hosting;

/// <summary>Registry key of the topic shard region (the one <c>IActorRef</c> through which topics are reached).</summary>
public sealed class TopicRegion
{
    public const string TypeName = "topic";
}

/// <summary>Registry key of this node's <see cref="Publishing.NodePublisher"/>.</summary>
public sealed class NodePublisherActor;

/// <summary>Registry key of this node's <see cref="Topics.TopicHandoffStore"/>.</summary>
public sealed class TopicHandoffStoreActor;
