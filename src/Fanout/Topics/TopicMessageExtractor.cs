using Akka.Cluster.Sharding;

namespace Fanout.Topics;

/// <summary>Routes <see cref="ITopicCommand"/>s to the topic's entity; the topic name is the entity id.</summary>
public sealed class TopicMessageExtractor : HashCodeMessageExtractor
{
    public const int DefaultShards = 100;

    public TopicMessageExtractor(int maxShards = DefaultShards)
        : base(maxShards)
    {
    }

    public override string? EntityId(object message) => (message as ITopicCommand)?.Topic;
}
