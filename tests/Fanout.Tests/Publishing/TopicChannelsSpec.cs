using Fanout.Publishing;
using Xunit;

namespace Fanout.Tests.Publishing;

/// <summary>Which pub-sub channel a topic's events travel on: the same everywhere, and spread evenly.</summary>
public sealed class TopicChannelsSpec
{
    /// <summary>
    /// XxHash32 (seed 0) of the UTF-8 name, mod 1024, computed by a separate implementation
    /// of the algorithm. Pinned because every node of a cluster, and every version of a
    /// rolling upgrade, must agree: a hash that changed (or one randomised per process,
    /// like string.GetHashCode) would put publisher and subscriber on different channels.
    /// </summary>
    [Theory]
    [InlineData("a", 86)]
    [InlineData("b", 447)]
    [InlineData("t", 276)]
    [InlineData("orders/1", 810)]
    [InlineData("chat/room-42", 721)]
    [InlineData("a-much-longer-topic-name/with/several/segments:and:colons", 930)]
    public void A_topic_maps_to_a_fixed_channel(string topic, int channel)
    {
        Assert.Equal(channel, TopicChannels.IndexOf(topic));
        Assert.Equal("fanout/channel-" + channel, TopicChannels.Of(topic));
    }

    [Fact]
    public void The_longest_topic_name_hashes_like_any_other()
    {
        var longest = new string('x', 200);
        var beyondTheStack = new string('é', 600);

        Assert.InRange(TopicChannels.IndexOf(longest), 0, TopicChannels.Count - 1);
        Assert.Equal(TopicChannels.IndexOf(beyondTheStack), TopicChannels.IndexOf(new string('é', 600)));
    }

    [Fact]
    public void Topics_spread_evenly_over_the_channels()
    {
        const int topics = 200_000;
        var perChannel = new int[TopicChannels.Count];
        for (var i = 0; i < topics; i++)
        {
            perChannel[TopicChannels.IndexOf($"orders/{i}")]++;
        }

        // ≈ 195 per channel; a uniform hash stays within ±35 % of that with room to spare
        // (the standard deviation is ≈ 14), a skewed one does not.
        var expected = topics / (double)TopicChannels.Count;
        Assert.InRange(perChannel.Min(), expected * 0.65, expected);
        Assert.InRange(perChannel.Max(), expected, expected * 1.35);
    }

    [Fact]
    public void The_channel_set_is_bounded()
    {
        var names = Enumerable.Range(0, 50_000).Select(i => TopicChannels.Of("t" + i)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(TopicChannels.Count, names.Count);
    }
}
