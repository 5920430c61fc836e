using System.Text;
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

namespace Fanout.Tests.Topics;

/// <summary>
/// What every topic does, whatever its store: numbering, frames, history, keys. Runs once
/// for the event-sourced <see cref="TopicActor"/> (on Akka's in-memory journal) and once
/// for the memory store's <see cref="VolatileTopicActor"/>, each alone, with a probe in
/// place of the pub-sub mediator.
/// </summary>
public abstract class TopicBehaviourSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Topic = "orders/1";

    protected TopicBehaviourSpec(ITestOutputHelper output)
        : base(output: output)
    {
    }

    protected abstract Props TopicProps(string topic, TopicOptions options, IActorRef mediator);

    [Fact]
    public void Assigns_consecutive_seqs_from_one_with_epoch_seq_ids()
    {
        var (topic, _) = StartTopic();

        var first = Publish(topic, Drafts.Range(1, 3));
        var second = Publish(topic, Drafts.Range(4, 2));

        Assert.Equal(Topic, first.Topic);
        Assert.True(Cursor.IsEpoch(first.Epoch), $"'{first.Epoch}' is not an epoch.");
        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Equal([1L, 2L, 3L], first.Events.Select(e => e.Seq));
        Assert.Equal([4L, 5L], second.Events.Select(e => e.Seq));
        Assert.All(first.Events.Concat(second.Events), e =>
        {
            Assert.Equal($"{first.Epoch}-{e.Seq}", e.Id);
            Assert.False(e.Duplicate);
        });
        Assert.Equal(5, State(topic).LastSeq);
    }

    [Fact]
    public void Publishes_each_event_to_the_topic_channel_in_seq_order()
    {
        var (topic, mediator) = StartTopic();

        var accepted = Publish(topic, Drafts.Range(1, 5));

        for (var seq = 1; seq <= 5; seq++)
        {
            var evt = ExpectPublished(mediator);
            Assert.Equal(Topic, evt.Topic);
            Assert.Equal(accepted.Epoch, evt.Epoch);
            Assert.Equal(seq, evt.Seq);
        }
    }

    [Fact]
    public void Encodes_the_frame_once_as_the_sse_contract_says()
    {
        var (topic, mediator) = StartTopic();

        var accepted = Publish(topic, new EventDraft("order.created", """{"id":7,"total":12.5}"""u8.ToArray(), null));
        var evt = ExpectPublished(mediator);

        Assert.Equal($"id: {accepted.Epoch}-1\n", Encoding.UTF8.GetString(evt.IdLine));
        Assert.Equal("event: order.created\ndata: {\"id\":7,\"total\":12.5}\n\n", Encoding.UTF8.GetString(evt.Body));
        Assert.Equal(evt.IdLine.Length + evt.Body.Length, evt.SizeInBytes);

        // The history serves the very bytes that went out: encoded once, shared.
        Assert.Same(evt, Assert.Single(Read(topic, 0, 1).Events));
    }

    [Fact]
    public void History_is_bounded_by_count()
    {
        var (topic, _) = StartTopic(new TopicOptions { HistoryEvents = 3 });

        Publish(topic, Drafts.Range(1, 5));

        var state = State(topic);
        Assert.Equal(5, state.LastSeq);
        Assert.Equal(3, state.HistoryEvents);
        Assert.Equal(3, state.FirstAvailableSeq);
        Assert.Equal([3L, 4L, 5L], Read(topic, 0, long.MaxValue).Events.Select(e => e.Seq));
    }

    [Fact]
    public void History_is_bounded_by_bytes()
    {
        // Events of about 1 KiB: 3 fit in 3.5 KiB, 4 do not.
        var (topic, mediator) = StartTopic(new TopicOptions { HistoryBytes = 3584 });

        Publish(topic, Enumerable.Range(1, 6).Select(n => Padded(n, 1000)).ToArray());
        var published = Enumerable.Range(1, 6).Select(_ => ExpectPublished(mediator)).ToList();

        var state = State(topic);
        Assert.Equal(3, state.HistoryEvents);
        Assert.Equal(4, state.FirstAvailableSeq);
        Assert.Equal(published.Skip(3).Sum(e => (long)e.SizeInBytes), state.HistoryBytes);
        Assert.InRange(state.HistoryBytes, 1, 3584);
        Assert.Equal([4L, 5L, 6L], Read(topic, 0, long.MaxValue).Events.Select(e => e.Seq));
    }

    [Fact]
    public void History_keeps_a_single_event_larger_than_its_byte_bound()
    {
        var (topic, _) = StartTopic(new TopicOptions { HistoryBytes = 100 });

        Publish(topic, Padded(1, 500), Padded(2, 500));

        var state = State(topic);
        Assert.Equal(1, state.HistoryEvents);
        Assert.Equal(2, state.FirstAvailableSeq);
    }

    [Fact]
    public void ReadHistory_returns_the_events_after_AfterSeq_up_to_UpToSeq()
    {
        var (topic, _) = StartTopic();
        var epoch = Publish(topic, Drafts.Range(1, 10)).Epoch;

        var slice = Read(topic, 2, 6);
        Assert.Equal([3L, 4L, 5L, 6L], slice.Events.Select(e => e.Seq));
        Assert.Equal(Topic, slice.Topic);
        Assert.Equal(epoch, slice.Epoch);
        Assert.Equal(1, slice.FirstAvailableSeq);
        Assert.Equal(10, slice.LastSeq);

        Assert.Empty(Read(topic, 6, 6).Events);
        Assert.Empty(Read(topic, 10, 20).Events);
        Assert.Equal([9L, 10L], Read(topic, 8, 100).Events.Select(e => e.Seq));
    }

    [Fact]
    public void ReadHistory_pages_by_MaxBytes_and_always_returns_at_least_one_event()
    {
        var (topic, mediator) = StartTopic();
        Publish(topic, Drafts.Range(1, 5));
        var published = Enumerable.Range(1, 5).Select(_ => ExpectPublished(mediator)).ToList();
        var twoEvents = published[2].SizeInBytes + published[3].SizeInBytes;

        Assert.Equal([3L, 4L], Read(topic, 2, 5, twoEvents).Events.Select(e => e.Seq));
        Assert.Equal([3L], Read(topic, 2, 5, twoEvents - 1).Events.Select(e => e.Seq));
        Assert.Equal([3L], Read(topic, 2, 5, 1).Events.Select(e => e.Seq));
        Assert.Equal([3L], Read(topic, 2, 5, 0).Events.Select(e => e.Seq));
    }

    [Fact]
    public void FirstAvailableSeq_follows_eviction_and_is_past_the_end_when_history_is_empty()
    {
        var (topic, _) = StartTopic(new TopicOptions { HistoryEvents = 4 });

        var empty = Read(topic, 0, 10);
        Assert.Empty(empty.Events);
        Assert.Equal(0, empty.LastSeq);
        Assert.Equal(1, empty.FirstAvailableSeq);

        Publish(topic, Drafts.Range(1, 4));
        Assert.Equal(1, Read(topic, 0, 10).FirstAvailableSeq);

        Publish(topic, Drafts.Range(5, 5));
        var slice = Read(topic, 0, 10);
        Assert.Equal(6, slice.FirstAvailableSeq);
        Assert.Equal(6, slice.Events[0].Seq);
        Assert.Equal(9, slice.LastSeq);
    }

    [Fact]
    public void Without_history_the_first_available_seq_is_the_next_one()
    {
        var (topic, _) = StartTopic(new TopicOptions { HistoryEvents = 0 });

        Publish(topic, Drafts.Range(1, 3));

        var slice = Read(topic, 0, 10);
        Assert.Empty(slice.Events);
        Assert.Equal(4, slice.FirstAvailableSeq);
    }

    [Fact]
    public void A_repeated_key_gets_the_first_seq_back_as_a_duplicate_and_publishes_nothing()
    {
        var (topic, mediator) = StartTopic();

        var first = Publish(topic, Drafts.Numbered(1, key: "k1")).Events[0];
        Publish(topic, Drafts.Numbered(2));
        var again = Publish(topic, Drafts.Numbered(1, key: "k1")).Events[0];

        Assert.Equal(new AcceptedEvent(1, first.Id, Duplicate: true), again);
        Assert.Equal(2, State(topic).LastSeq);

        // Only seq 1 and 2 went out; the next event published is seq 3.
        Publish(topic, Drafts.Numbered(3));
        Assert.Equal([1L, 2L, 3L], Enumerable.Range(0, 3).Select(_ => ExpectPublished(mediator).Seq));
    }

    [Fact]
    public void A_key_repeated_within_one_batch_is_a_duplicate_of_its_first_use()
    {
        var (topic, _) = StartTopic();

        var accepted = Publish(topic, Drafts.Numbered(1, key: "k"), Drafts.Numbered(2, key: "k"), Drafts.Numbered(3));

        Assert.Equal(
            [new AcceptedEvent(1, $"{accepted.Epoch}-1", false), new AcceptedEvent(1, $"{accepted.Epoch}-1", true), new AcceptedEvent(2, $"{accepted.Epoch}-2", false)],
            accepted.Events);
    }

    [Fact]
    public void A_key_is_forgotten_once_its_event_left_the_history()
    {
        var (topic, _) = StartTopic(new TopicOptions { HistoryEvents = 2 });

        Publish(topic, Drafts.Numbered(1, key: "k1"));
        Assert.True(Publish(topic, Drafts.Numbered(2, key: "k1")).Events[0].Duplicate);

        Publish(topic, Drafts.Range(2, 2)); // seq 1 leaves the history
        var again = Publish(topic, Drafts.Numbered(1, key: "k1")).Events[0];

        Assert.Equal(4, again.Seq);
        Assert.False(again.Duplicate);
    }

    private (IActorRef Topic, TestProbe Mediator) StartTopic(TopicOptions? options = null)
    {
        var mediator = CreateTestProbe();
        var topic = Sys.ActorOf(TopicProps(Topic, options ?? new TopicOptions(), mediator.Ref));
        return (topic, mediator);
    }

    private EventsAccepted Publish(IActorRef topic, params EventDraft[] drafts)
    {
        topic.Tell(new PublishEvents(Topic, drafts));
        return ExpectMsg<EventsAccepted>();
    }

    private HistorySlice Read(IActorRef topic, long after, long upTo, int maxBytes = int.MaxValue)
    {
        topic.Tell(new ReadHistory(Topic, after, upTo, maxBytes));
        return ExpectMsg<HistorySlice>();
    }

    private TopicState State(IActorRef topic)
    {
        topic.Tell(new GetTopicState(Topic));
        return ExpectMsg<TopicState>();
    }

    private static TopicEvent ExpectPublished(TestProbe mediator)
    {
        var publish = mediator.ExpectMsg<Publish>();
        Assert.Equal(TopicChannels.Of(Topic), publish.Topic);
        return Assert.IsType<TopicEvent>(publish.Message);
    }

    private static EventDraft Padded(int n, int padding) =>
        new(Drafts.Type, Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('x', padding)}\"}}"), null);
}

public sealed class EventSourcedTopicSpec(ITestOutputHelper output) : TopicBehaviourSpec(output)
{
    protected override Props TopicProps(string topic, TopicOptions options, IActorRef mediator) =>
        TopicActor.Props(topic, options, mediator);
}

public sealed class VolatileTopicSpec(ITestOutputHelper output) : TopicBehaviourSpec(output)
{
    protected override Props TopicProps(string topic, TopicOptions options, IActorRef mediator) =>
        VolatileTopicActor.Props(topic, options, mediator);
}
