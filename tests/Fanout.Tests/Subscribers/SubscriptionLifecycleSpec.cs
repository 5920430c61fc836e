using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.PublishSubscribe.Internal;
using Fanout.Tests.Support;
using Fanout.Publishing;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Subscribers;

/// <summary>What a subscription leaves behind when it ends, down to the pub-sub registry.</summary>
public sealed class SubscriptionLifecycleSpec : FanoutClusterTestKit
{
    public SubscriptionLifecycleSpec(ITestOutputHelper output)
        : base(QuietOptions(), output)
    {
    }

    [Fact]
    public async Task Cancelling_the_stream_stops_the_subscriber_actor_and_the_node_forgets_it()
    {
        var probe = Open("t");
        Next(probe);
        var subscriber = await SubscriberActorAsync(1);
        Watch(subscriber);
        Assert.Equal(1, LocalSubscribers().Subscribers);

        probe.Cancel();

        ExpectTerminated(subscriber, Patience);
        AwaitAssert(
            () =>
            {
                var local = LocalSubscribers();
                Assert.Equal(0, local.Subscribers);
                Assert.Empty(local.ByTopic);
            },
            Patience);
    }

    [Fact]
    public async Task Stopping_the_subscriber_actor_completes_the_stream()
    {
        var probe = Open("t");
        Next(probe);
        var subscriber = await SubscriberActorAsync(1);

        Sys.Stop(subscriber);

        probe.ExpectComplete(Patience);
    }

    [Fact]
    public async Task The_node_unsubscribes_from_a_topic_channel_when_its_last_subscriber_leaves()
    {
        var first = Open("t");
        var second = Open("t");
        Next(first);
        Next(second);
        await AwaitChannelSubscribersAsync("t", 1); // the node publisher, once for both

        first.Cancel();
        AwaitAssert(() => Assert.Equal(1, LocalSubscribers().ByTopic["t"]), Patience);
        Assert.Equal(1, await ChannelSubscribersAsync("t"));

        second.Cancel();
        await AwaitChannelSubscribersAsync("t", 0);
        AwaitAssert(() => Assert.Empty(LocalSubscribers().ByTopic), Patience);

        // A new subscriber brings the subscription back, and events flow again.
        var third = Open("t");
        Next(third);
        await AwaitChannelSubscribersAsync("t", 1);
        await PublishAsync("t", 1, 1);
        Assert.Equal(1, Next(third).Seq);
    }

    [Fact]
    public async Task Topics_sharing_a_channel_hold_one_subscription_until_the_last_of_them_leaves()
    {
        var mate = ChannelMates.Of("t");
        var first = Open("t");
        var second = Open(mate);
        Next(first);
        Next(second);
        await AwaitChannelSubscribersAsync("t", 1);

        first.Cancel();
        AwaitAssert(() => Assert.False(LocalSubscribers().ByTopic.ContainsKey("t")), Patience);
        Assert.Equal(1, await ChannelSubscribersAsync(mate));
        await PublishAsync(mate, 1, 1);
        Assert.Equal(1, Next(second).Seq);

        second.Cancel();
        await AwaitChannelSubscribersAsync(mate, 0);
    }

    [Fact]
    public async Task A_channel_left_by_its_last_topic_and_joined_by_another_at_once_stays_subscribed()
    {
        var mate = ChannelMates.Of("t");
        var first = Open("t");
        Next(first);
        await AwaitChannelSubscribersAsync("t", 1);

        // The node's Unsubscribe is on its way to the mediator when the next topic of the
        // channel asks for the same subscription.
        first.Cancel();
        AwaitAssert(() => Assert.Empty(LocalSubscribers().ByTopic), Patience);
        var second = Open(mate);
        Next(second);

        // The subscribe was sent before the subscription was answered, so the mediator has
        // handled both by the time it answers this count.
        Assert.Equal(1, await ChannelSubscribersAsync(mate));
        await PublishAsync(mate, 1, 1);
        Assert.Equal(1, Next(second).Seq);
        Assert.Equal(1, await ChannelSubscribersAsync(mate));
    }

    [Fact]
    public async Task Topic_publishes_its_events_to_its_pub_sub_channel()
    {
        var listener = CreateTestProbe();
        Mediator.Tell(new Subscribe(TopicChannels.Of("orders/1"), listener.Ref), listener.Ref);
        listener.ExpectMsg<SubscribeAck>(Patience);

        var accepted = await PublishAsync("orders/1", 1, 2);

        foreach (var seq in new long[] { 1, 2 })
        {
            var evt = listener.ExpectMsg<TopicEvent>(Patience);
            Assert.Equal("orders/1", evt.Topic);
            Assert.Equal(accepted.Epoch, evt.Epoch);
            Assert.Equal(seq, evt.Seq);
        }
    }

    private Task<int> ChannelSubscribersAsync(string topic) =>
        Mediator.Ask<int>(new CountSubscribers(TopicChannels.Of(topic)), Patience);

    private async Task AwaitChannelSubscribersAsync(string topic, int expected) =>
        await AwaitAssertAsync(async () => Assert.Equal(expected, await ChannelSubscribersAsync(topic)), Patience);
}
