using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.PublishSubscribe.Internal;
using Fanout.Publishing;
using Fanout.Topics;

namespace Fanout.Cluster.Tests;

/// <summary>
/// Publish on any node, receive on every node, resume anywhere (issue 3). A, B and C never
/// poll topics (<see cref="PubSubOnly"/>): what crosses nodes came through DistributedPubSub.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FanOutAcrossNodesSpec
{
    private readonly PubSubOnlyCluster _cluster;

    public FanOutAcrossNodesSpec(PubSubOnlyCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Events_published_on_A_reach_subscribers_on_B_and_C_in_order()
    {
        var topic = "spread-" + Guid.NewGuid().ToString("N");
        await using var onB = await SseStream.OpenAsync(_cluster.B.Http, $"/topics/{topic}/events");
        await using var onC = await SseStream.OpenAsync(_cluster.C.Http, $"/topics/{topic}/events");
        Assert.Equal("fanout.connected", (await onB.NextAsync()).EventType);
        Assert.Equal("fanout.connected", (await onC.NextAsync()).EventType);
        await PubSubOnly.AwaitRouteAsync(_cluster.A.Http, topic, onB, onC);

        for (var n = 1; n <= 50; n++)
        {
            await _cluster.A.Http.PublishAsync(topic, n);
        }

        foreach (var stream in new[] { onB, onC })
        {
            for (var n = 1; n <= 50; n++)
            {
                var item = await stream.NextEventAsync();
                Assert.Equal("message", item.EventType);
                Assert.Equal(n, SseStream.DataNumber(item));
            }
        }
    }

    [Fact]
    public async Task A_client_resuming_on_another_node_gets_exactly_what_it_missed()
    {
        var topic = "resume-" + Guid.NewGuid().ToString("N");
        string cursor;
        await using (var onB = await SseStream.OpenAsync(_cluster.B.Http, $"/topics/{topic}/events"))
        {
            await onB.NextAsync();
            await PubSubOnly.AwaitRouteAsync(_cluster.A.Http, topic, onB);
            for (var n = 1; n <= 5; n++)
            {
                await _cluster.A.Http.PublishAsync(topic, n);
            }

            for (var n = 1; n <= 5; n++)
            {
                Assert.Equal(n, SseStream.DataNumber(await onB.NextEventAsync()));
            }

            cursor = onB.LastEventId!;
        }

        for (var n = 6; n <= 10; n++)
        {
            await _cluster.A.Http.PublishAsync(topic, n);
        }

        await using var onC = await SseStream.OpenAsync(_cluster.C.Http, $"/topics/{topic}/events", cursor);
        var connected = await onC.NextAsync();
        Assert.Contains("\"resumed\":true", connected.Data);
        for (var n = 6; n <= 10; n++)
        {
            var item = await onC.NextAsync();
            Assert.Equal("message", item.EventType);
            Assert.Equal(n, SseStream.DataNumber(item));
        }

        // Live from here: through pub-sub, once C's subscription has spread.
        await PubSubOnly.AwaitRouteAsync(_cluster.A.Http, topic, onC);
        await _cluster.B.Http.PublishAsync(topic, 11);
        await _cluster.A.Http.PublishAsync(topic, 12);
        for (var n = 11; n <= 12; n++)
        {
            var item = await onC.NextEventAsync();
            Assert.Equal("message", item.EventType);
            Assert.Equal(n, SseStream.DataNumber(item));
        }
    }

    [Fact]
    public async Task A_subscriber_on_a_node_that_just_joined_gets_every_event_after_its_connected_frame()
    {
        var topic = "joiner-" + Guid.NewGuid().ToString("N");
        await _cluster.A.Http.PublishAsync(topic, 0);

        // The late node polls its new feeds (the default): that is what this test is about.
        await using var late = await TestNode.StartAsync(_cluster.A);
        await using var stream = await SseStream.OpenAsync(late.Http, $"/topics/{topic}/events");
        Assert.Equal("fanout.connected", (await stream.NextAsync()).EventType);

        // Published right away, before pub-sub gossip has told A about the new node's
        // subscription: the node's feed must fetch it from history.
        await _cluster.A.Http.PublishAsync(topic, 1);
        Assert.Equal(1, SseStream.DataNumber(await stream.NextAsync(TimeSpan.FromSeconds(30))));
        for (var n = 2; n <= 20; n++)
        {
            await _cluster.C.Http.PublishAsync(topic, n);
        }

        for (var n = 2; n <= 20; n++)
        {
            Assert.Equal(n, SseStream.DataNumber(await stream.NextAsync()));
        }
    }

    [Fact]
    public async Task The_node_publisher_drops_its_pubsub_subscription_when_the_last_local_subscriber_leaves()
    {
        // Topics share pub-sub channels: pick one whose channel no other topic fed on B uses,
        // so B's subscription to it is this test's alone.
        var fed = (await _cluster.B.Hub.GetLocalSubscribersAsync()).ByTopic.Keys.Select(TopicChannels.IndexOf).ToHashSet();
        var topic = Enumerable.Range(0, 1000)
            .Select(_ => "registrations-" + Guid.NewGuid().ToString("N"))
            .First(t => !fed.Contains(TopicChannels.IndexOf(t)));
        var mediator = DistributedPubSub.Get(_cluster.B.System).Mediator;
        var channel = TopicChannels.Of(topic);

        var first = await SseStream.OpenAsync(_cluster.B.Http, $"/topics/{topic}/events");
        var second = await SseStream.OpenAsync(_cluster.B.Http, $"/events?topic={topic}");
        await first.NextAsync();
        await second.NextAsync();
        Assert.Equal(1, await mediator.Ask<int>(new CountSubscribers(channel), TimeSpan.FromSeconds(5)));
        Assert.Equal(2, (await _cluster.B.Hub.GetLocalSubscribersAsync()).ByTopic[topic]);

        await first.DisposeAsync();
        await Eventually.HoldsAsync(
            async () => (await _cluster.B.Hub.GetLocalSubscribersAsync()).ByTopic.GetValueOrDefault(topic) == 1,
            TimeSpan.FromSeconds(20),
            "one subscriber left");
        Assert.Equal(1, await mediator.Ask<int>(new CountSubscribers(channel), TimeSpan.FromSeconds(5)));

        await second.DisposeAsync();
        await Eventually.HoldsAsync(
            async () => !(await _cluster.B.Hub.GetLocalSubscribersAsync()).ByTopic.ContainsKey(topic)
                        && await mediator.Ask<int>(new CountSubscribers(channel), TimeSpan.FromSeconds(5)) == 0,
            TimeSpan.FromSeconds(20),
            "no registration left for the topic on B");
    }
}
