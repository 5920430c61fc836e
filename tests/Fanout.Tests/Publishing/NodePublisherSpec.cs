using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Tests.Support;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Publishing;

/// <summary>
/// The node publisher between real topic actors and probe subscribers. Pub-sub is played by
/// the test: topic actors publish to one probe, and the test hands their events to the
/// publisher itself, so it decides which arrive, in which order and how often. The
/// publisher's own mediator is another probe that sees its (un)subscriptions.
/// </summary>
public sealed class NodePublisherSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TestProbe _topicChannels;
    private readonly TestProbe _publisherMediator;
    private readonly IActorRef _topics;

    public NodePublisherSpec(ITestOutputHelper output)
        : base(output: output)
    {
        _topicChannels = CreateTestProbe();
        _publisherMediator = CreateTestProbe();
        _topics = Sys.ActorOf(TopicRouter.Props(new TopicOptions(), _topicChannels.Ref), "topics");
    }

    [Fact]
    public void SubscribeTopics_is_answered_with_each_topic_start_position()
    {
        var publisher = StartPublisher();
        var a = Publish("a", 3);
        var b = State("b");

        var subscribed = Subscribe(publisher, CreateTestProbe(), "a", "b");

        Assert.Equal(new TopicPosition(a[0].Epoch, 3), subscribed.Starts["a"]);
        Assert.Equal(new TopicPosition(b.Epoch, 0), subscribed.Starts["b"]);
        ExpectSubscribed(publisher, "a", "b");
    }

    [Fact]
    public void A_later_subscriber_starts_where_the_feed_is()
    {
        var publisher = StartPublisher();
        var first = CreateTestProbe();
        Subscribe(publisher, first, "a");
        Deliver(publisher, Publish("a", 3));
        ExpectSeqs(first, 1, 3);

        var second = CreateTestProbe();
        var subscribed = Subscribe(publisher, second, "a");
        Assert.Equal(3, subscribed.Starts["a"].Seq);

        Deliver(publisher, Publish("a", 1));
        Assert.Equal(4, second.ExpectMsg<TopicEvent>().Seq);
        Assert.Equal(4, first.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void Events_are_fanned_out_in_seq_order_once_to_each_local_subscriber()
    {
        var publisher = StartPublisher();
        var one = CreateTestProbe();
        var two = CreateTestProbe();
        Subscribe(publisher, one, "a");
        Subscribe(publisher, two, "a");

        var events = Publish("a", 3);
        Deliver(publisher, events);

        foreach (var subscriber in new[] { one, two })
        {
            foreach (var evt in events)
            {
                // The topic's encoded event itself, not a copy.
                Assert.Same(evt, subscriber.ExpectMsg<TopicEvent>());
            }
        }

        // The next thing each subscriber gets is seq 4: nothing was sent twice.
        Deliver(publisher, Publish("a", 1));
        Assert.Equal(4, one.ExpectMsg<TopicEvent>().Seq);
        Assert.Equal(4, two.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void Duplicates_from_pub_sub_are_skipped()
    {
        var publisher = StartPublisher();
        var subscriber = CreateTestProbe();
        Subscribe(publisher, subscriber, "a");
        var events = Publish("a", 3);

        Deliver(publisher, events[0], events[1], events[0], events[1], events[2], events[1]);
        ExpectSeqs(subscriber, 1, 3);

        Deliver(publisher, Publish("a", 1));
        Assert.Equal(4, subscriber.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void A_gap_is_repaired_from_the_topic_history_before_later_events()
    {
        var publisher = StartPublisher();
        var subscriber = CreateTestProbe();
        Subscribe(publisher, subscriber, "a");

        // Seqs 1..4 never arrive through pub-sub; 5, 6 and 7 do, while the repair runs.
        var events = Publish("a", 7);
        Deliver(publisher, events[4], events[5], events[6]);

        ExpectSeqs(subscriber, 1, 7);
        Deliver(publisher, Publish("a", 1));
        Assert.Equal(8, subscriber.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void A_gap_longer_than_one_history_page_is_repaired_page_by_page()
    {
        var publisher = StartPublisher(pageBytes: 1); // one event per page
        var subscriber = CreateTestProbe();
        Subscribe(publisher, subscriber, "a");
        Deliver(publisher, Publish("a", 2));
        ExpectSeqs(subscriber, 1, 2);

        var events = Publish("a", 10); // seqs 3..12
        Deliver(publisher, events[^1]);

        ExpectSeqs(subscriber, 3, 12);
    }

    [Fact]
    public void Repaired_events_are_not_sent_again_when_pub_sub_delivers_them_late()
    {
        var publisher = StartPublisher();
        var subscriber = CreateTestProbe();
        Subscribe(publisher, subscriber, "a");

        var events = Publish("a", 4);
        Deliver(publisher, events[3]);
        ExpectSeqs(subscriber, 1, 4);

        Deliver(publisher, events[0], events[1], events[2]);
        Deliver(publisher, Publish("a", 1));
        Assert.Equal(5, subscriber.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void The_last_subscriber_of_a_topic_leaving_unsubscribes_the_node_from_its_channel()
    {
        var publisher = StartPublisher();
        var one = CreateTestProbe();
        var two = CreateTestProbe();
        var other = CreateTestProbe();
        Subscribe(publisher, one, "a");
        Subscribe(publisher, two, "a", "b");
        Subscribe(publisher, other, "b");
        ExpectSubscribed(publisher, "a", "b");
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, LocalSubscribers(publisher).ByTopic);

        Sys.Stop(one.Ref);
        AwaitAssert(() => Assert.Equal(1, LocalSubscribers(publisher).ByTopic["a"]), TimeSpan.FromSeconds(10));
        _publisherMediator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Sys.Stop(two.Ref);
        var unsubscribe = _publisherMediator.ExpectMsg<Unsubscribe>();
        Assert.Equal(TopicChannels.Of("a"), unsubscribe.Topic);
        Assert.Equal(publisher, unsubscribe.Ref);
        var local = LocalSubscribers(publisher);
        Assert.Equal(1, local.Subscribers);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 1 }, local.ByTopic);

        Sys.Stop(other.Ref);
        Assert.Equal(TopicChannels.Of("b"), _publisherMediator.ExpectMsg<Unsubscribe>().Topic);
        local = LocalSubscribers(publisher);
        Assert.Equal(0, local.Subscribers);
        Assert.Empty(local.ByTopic);
    }

    [Fact]
    public void A_topic_fed_again_after_its_last_subscriber_left_is_subscribed_again()
    {
        var publisher = StartPublisher();
        var first = CreateTestProbe();
        Subscribe(publisher, first, "a");
        ExpectSubscribed(publisher, "a");
        Deliver(publisher, Publish("a", 2));
        ExpectSeqs(first, 1, 2);

        Sys.Stop(first.Ref);
        _publisherMediator.ExpectMsg<Unsubscribe>();

        Publish("a", 1); // seq 3, while nobody on this node reads the topic
        var second = CreateTestProbe();
        Assert.Equal(3, Subscribe(publisher, second, "a").Starts["a"].Seq);
        ExpectSubscribed(publisher, "a");
        Deliver(publisher, Publish("a", 1));
        Assert.Equal(4, second.ExpectMsg<TopicEvent>().Seq);
    }

    [Fact]
    public void A_second_topic_on_a_subscribed_channel_is_answered_without_subscribing_again()
    {
        var publisher = StartPublisher();
        var mate = ChannelMates.Of("a");
        var first = CreateTestProbe();
        Subscribe(publisher, first, "a");
        ExpectSubscribed(publisher, "a");

        // Answered from the topic's state alone: no SubscribeAck is due for a channel the
        // node already holds, and none is waited for.
        var second = CreateTestProbe();
        Publish(mate, 2);
        Assert.Equal(2, Subscribe(publisher, second, mate).Starts[mate].Seq);
        _publisherMediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Each topic's events reach its own subscribers only.
        Deliver(publisher, Publish(mate, 1));
        Deliver(publisher, Publish("a", 1));
        Assert.Equal((mate, 3L), TopicAndSeq(second.ExpectMsg<TopicEvent>()));
        Assert.Equal(("a", 1L), TopicAndSeq(first.ExpectMsg<TopicEvent>()));
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, [mate] = 1 }, LocalSubscribers(publisher).ByTopic);
    }

    [Fact]
    public void A_channel_stays_subscribed_while_any_of_its_topics_is_fed_and_its_last_one_unsubscribes()
    {
        var publisher = StartPublisher();
        var mate = ChannelMates.Of("a");
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        Subscribe(publisher, first, "a");
        Subscribe(publisher, second, mate);
        ExpectSubscribed(publisher, "a");

        Sys.Stop(first.Ref);
        AwaitAssert(() => Assert.False(LocalSubscribers(publisher).ByTopic.ContainsKey("a")), TimeSpan.FromSeconds(10));
        _publisherMediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // The topic left behind still delivers; the one nobody reads any more is ignored.
        Deliver(publisher, Publish("a", 1));
        Deliver(publisher, Publish(mate, 2));
        ExpectSeqs(second, 1, 2);

        Sys.Stop(second.Ref);
        var unsubscribe = _publisherMediator.ExpectMsg<Unsubscribe>();
        Assert.Equal(TopicChannels.Of(mate), unsubscribe.Topic);
        Assert.Equal(publisher, unsubscribe.Ref);
        Assert.Empty(LocalSubscribers(publisher).ByTopic);
    }

    [Fact]
    public void Events_of_unfed_topics_on_a_subscribed_channel_are_ignored_and_the_feed_goes_on()
    {
        var publisher = StartPublisher();
        var mate = ChannelMates.Of("a");
        var subscriber = CreateTestProbe();
        Subscribe(publisher, subscriber, "a");

        Deliver(publisher, Publish(mate, 3));
        Deliver(publisher, Publish(ChannelMates.Of("a", skip: 1), 3));
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Deliver(publisher, Publish("a", 2));
        ExpectSeqs(subscriber, 1, 2);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, LocalSubscribers(publisher).ByTopic);
    }

    [Fact]
    public void A_channel_left_and_joined_again_at_once_is_unsubscribed_before_it_is_subscribed()
    {
        var publisher = StartPublisher();
        var mate = ChannelMates.Of("a");
        var channel = TopicChannels.Of("a");
        var first = CreateTestProbe();
        Subscribe(publisher, first, "a");
        ExpectSubscribed(publisher, "a");

        Sys.Stop(first.Ref);
        AwaitAssert(() => Assert.Empty(LocalSubscribers(publisher).ByTopic), TimeSpan.FromSeconds(10));
        var second = CreateTestProbe();
        Subscribe(publisher, second, mate);

        // In this order the mediator's last word on the channel is Subscribe: the node stays
        // subscribed however late the mediator handles the Unsubscribe.
        Assert.Equal(channel, _publisherMediator.ExpectMsg<Unsubscribe>().Topic);
        Assert.Equal(channel, _publisherMediator.ExpectMsg<Subscribe>().Topic);
        _publisherMediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Deliver(publisher, Publish(mate, 1));
        ExpectSeqs(second, 1, 1);
    }

    private IActorRef StartPublisher(int pageBytes = 256 * 1024)
    {
        // Only the gaps the test makes are repaired: no periodic catch-up while the test runs.
        var options = new PublisherOptions { SyncSeconds = 3600, NewTopicSeconds = 0, NewTopicSyncMilliseconds = 50 };
        return Sys.ActorOf(NodePublisher.Props(_publisherMediator.Ref, _topics, options, pageBytes));
    }

    private TopicsSubscribed Subscribe(IActorRef publisher, TestProbe subscriber, params string[] topics)
    {
        publisher.Tell(new SubscribeTopics(subscriber.Ref, topics), TestActor);
        return ExpectMsg<TopicsSubscribed>(TimeSpan.FromSeconds(10));
    }

    private void ExpectSubscribed(IActorRef publisher, params string[] topics)
    {
        foreach (var topic in topics)
        {
            var subscribe = _publisherMediator.ExpectMsg<Subscribe>();
            Assert.Equal(TopicChannels.Of(topic), subscribe.Topic);
            Assert.Equal(publisher, subscribe.Ref);
        }
    }

    /// <summary>Publishes <paramref name="count"/> events and returns them as the topic handed them to pub-sub.</summary>
    private TopicEvent[] Publish(string topic, int count)
    {
        _topics.Tell(new PublishEvents(topic, Drafts.Range(1, count)), TestActor);
        ExpectMsg<EventsAccepted>();
        return Enumerable.Range(0, count)
            .Select(_ => Assert.IsType<TopicEvent>(_topicChannels.ExpectMsg<Publish>().Message))
            .ToArray();
    }

    private TopicState State(string topic)
    {
        _topics.Tell(new GetTopicState(topic), TestActor);
        return ExpectMsg<TopicState>();
    }

    private LocalSubscribers LocalSubscribers(IActorRef publisher)
    {
        publisher.Tell(GetLocalSubscribers.Instance, TestActor);
        return ExpectMsg<LocalSubscribers>();
    }

    private static void Deliver(IActorRef publisher, params TopicEvent[] events)
    {
        foreach (var evt in events)
        {
            publisher.Tell(evt);
        }
    }

    private static (string Topic, long Seq) TopicAndSeq(TopicEvent evt) => (evt.Topic, evt.Seq);

    private static void ExpectSeqs(TestProbe subscriber, long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            Assert.Equal(seq, subscriber.ExpectMsg<TopicEvent>(TimeSpan.FromSeconds(10)).Seq);
        }
    }
}
