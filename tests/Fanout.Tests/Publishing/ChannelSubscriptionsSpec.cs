using Fanout.Publishing;
using Fanout.Tests.Support;
using Xunit;

namespace Fanout.Tests.Publishing;

/// <summary>The node's count of fed topics per pub-sub channel.</summary>
public sealed class ChannelSubscriptionsSpec
{
    [Fact]
    public void Only_a_channels_first_topic_subscribes_and_only_its_last_unsubscribes()
    {
        var channels = new ChannelSubscriptions();
        var mate = ChannelMates.Of("a");

        Assert.True(channels.Add("a"));
        Assert.False(channels.Add(mate));
        Assert.Equal(1, channels.Subscribed);
        Assert.Equal(2, channels.TopicsOn("a"));

        Assert.False(channels.Remove("a"));
        Assert.Equal(1, channels.Subscribed);
        Assert.True(channels.Remove(mate));
        Assert.Equal(0, channels.Subscribed);

        // Left, then joined again: subscribes again.
        Assert.True(channels.Add(mate));
        Assert.Equal(1, channels.Subscribed);
    }

    [Fact]
    public void Topics_on_different_channels_are_counted_apart()
    {
        var channels = new ChannelSubscriptions();
        var other = ChannelMates.Apart("a");

        Assert.True(channels.Add("a"));
        Assert.True(channels.Add(other));
        Assert.Equal(2, channels.Subscribed);
        Assert.True(channels.Remove("a"));
        Assert.Equal(1, channels.TopicsOn(other));
    }

    [Fact]
    public void Removing_a_topic_never_added_is_a_bug_not_a_silent_miscount()
    {
        var channels = new ChannelSubscriptions();

        Assert.Throws<InvalidOperationException>(() => channels.Remove("a"));
    }
}
