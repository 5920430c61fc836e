namespace Fanout.Publishing;

/// <summary>
/// How many of a node's fed topics share each pub-sub channel (<see cref="TopicChannels"/>):
/// the node is subscribed to a channel exactly while at least one of its fed topics maps
/// there. <see cref="Add"/> and <see cref="Remove"/> say when that changes, so the caller
/// sends one Subscribe when a channel's first topic arrives and one Unsubscribe when its
/// last one goes; sent in that order to the mediator, a channel left and joined again at
/// once ends subscribed.
/// </summary>
internal sealed class ChannelSubscriptions
{
    private readonly int[] _topics = new int[TopicChannels.Count];

    /// <summary>Channels with at least one fed topic.</summary>
    public int Subscribed { get; private set; }

    /// <summary>Counts a newly fed topic; true when it is its channel's first, which the node must now subscribe to.</summary>
    public bool Add(string topic)
    {
        var channel = TopicChannels.IndexOf(topic);
        _topics[channel]++;
        if (_topics[channel] != 1)
        {
            return false;
        }

        Subscribed++;
        return true;
    }

    /// <summary>Counts a topic no longer fed; true when it was its channel's last, which the node must now unsubscribe from.</summary>
    public bool Remove(string topic)
    {
        var channel = TopicChannels.IndexOf(topic);
        if (_topics[channel] == 0)
        {
            throw new InvalidOperationException($"Topic {topic} was not counted on channel {channel}.");
        }

        _topics[channel]--;
        if (_topics[channel] != 0)
        {
            return false;
        }

        Subscribed--;
        return true;
    }

    /// <summary>How many fed topics map to the topic's channel.</summary>
    public int TopicsOn(string topic) => _topics[TopicChannels.IndexOf(topic)];
}
