using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit;
using Fanout.Hosting;
using Fanout.Tests.Support;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Topics;

/// <summary>
/// The event-sourced <see cref="TopicActor"/> against a journal the test controls
/// (Akka.Persistence.TestKit's): what a new incarnation recovers, what a failed or rejected
/// write answers, and which rows retention deletes.
/// </summary>
public sealed class TopicRecoverySpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Topic = "orders/1";

    public TopicRecoverySpec(ITestOutputHelper output)
        : base(TestJournalConfig.Config, output: output)
    {
    }

    private ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public void A_new_incarnation_recovers_epoch_seqs_history_and_keys()
    {
        var first = StartTopic();
        var accepted = Publish(first.Topic, Drafts.Numbered(1, key: "k1"), Drafts.Numbered(2), Drafts.Numbered(3, key: "k3"));
        var before = Read(first.Topic, 0, long.MaxValue);
        Stop(first.Topic);

        var second = StartTopic();
        var state = State(second.Topic);
        Assert.Equal(accepted.Epoch, state.Epoch);
        Assert.Equal(3, state.LastSeq);
        Assert.Equal(1, state.FirstAvailableSeq);

        var after = Read(second.Topic, 0, long.MaxValue);
        Assert.Equal(before.Events.Select(e => (e.Epoch, e.Seq, e.IdLine, e.Body)), after.Events.Select(e => (e.Epoch, e.Seq, e.IdLine, e.Body)), new FrameComparer());

        var retried = Publish(second.Topic, Drafts.Numbered(3, key: "k3"));
        Assert.True(retried.Events[0].Duplicate);
        Assert.Equal(3, retried.Events[0].Seq);

        var next = Publish(second.Topic, Drafts.Numbered(4));
        Assert.Equal(accepted.Epoch, next.Epoch);
        Assert.Equal(4, next.Events[0].Seq);
        Assert.Equal($"{accepted.Epoch}-4", next.Events[0].Id);
    }

    [Fact]
    public async Task A_failed_write_answers_PublishFailed_delivers_nothing_and_the_topic_recovers_what_was_stored()
    {
        var (topic, mediator) = StartTopic();
        var stored = Publish(topic, Drafts.Range(1, 2));
        mediator.ReceiveN(2);

        await Journal.OnWrite.Fail();
        Watch(topic);
        topic.Tell(new PublishEvents(Topic, Drafts.Range(3, 2)));
        var failed = ExpectMsg<PublishNotStored>();
        Assert.Equal(Topic, failed.Topic);
        ExpectTerminated(topic);
        mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        await Journal.OnWrite.Pass();
        var again = StartTopic();
        Assert.Equal(2, State(again.Topic).LastSeq);
        var next = Publish(again.Topic, Drafts.Numbered(3));
        Assert.Equal(stored.Epoch, next.Epoch);
        Assert.Equal(3, next.Events[0].Seq);
    }

    [Fact]
    public async Task A_rejected_write_answers_PublishFailed_and_delivers_nothing()
    {
        var (topic, mediator) = StartTopic();
        Publish(topic, Drafts.Numbered(1));
        mediator.ReceiveN(1);

        await Journal.OnWrite.Reject();
        Watch(topic);
        topic.Tell(new PublishEvents(Topic, Drafts.Range(2, 3)));
        ExpectMsg<PublishNotStored>();
        ExpectTerminated(topic);
        mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        await Journal.OnWrite.Pass();
        var again = StartTopic();
        Assert.Equal(1, State(again.Topic).LastSeq);
    }

    [Fact]
    public async Task Neither_the_answer_nor_a_duplicate_overtakes_the_journal_write()
    {
        var (topic, mediator) = StartTopic();
        await Journal.OnWrite.PassWithDelay(TimeSpan.FromSeconds(1));

        topic.Tell(new PublishEvents(Topic, [Drafts.Numbered(1, key: "k")]));
        topic.Tell(new PublishEvents(Topic, [Drafts.Numbered(1, key: "k")]));

        // While the write is under way nobody hears of the event: no answer, no delivery.
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        mediator.ExpectNoMsg(TimeSpan.Zero);

        var first = ExpectMsg<EventsAccepted>(TimeSpan.FromSeconds(10));
        var duplicate = ExpectMsg<EventsAccepted>();
        Assert.False(first.Events[0].Duplicate);
        Assert.True(duplicate.Events[0].Duplicate);
        Assert.Equal(first.Events[0].Seq, duplicate.Events[0].Seq);
        Assert.Equal(1, Assert.IsType<TopicEvent>(mediator.ExpectMsg<Publish>().Message).Seq);
        mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Retention_deletes_journal_rows_older_than_the_history_but_keeps_the_newest()
    {
        var options = new TopicOptions { HistoryEvents = 10 };
        var (topic, _) = StartTopic(options);
        for (var n = 1; n <= 50; n++)
        {
            Publish(topic, Drafts.Numbered(n));
        }

        AwaitAssert(
            () => Assert.InRange(StoredSeqs().Count, 10, 11),
            TimeSpan.FromSeconds(10));
        Assert.Equal(50, StoredSeqs()[^1]);
        Stop(topic);

        // What recovery reads is bounded by the history, not the topic's lifetime.
        var again = StartTopic(options);
        var state = State(again.Topic);
        Assert.Equal(50, state.LastSeq);
        Assert.Equal(41, state.FirstAvailableSeq);
    }

    [Fact]
    public void The_age_bound_empties_the_history_but_the_newest_row_keeps_the_epoch()
    {
        var options = new TopicOptions { HistoryMaxAgeSeconds = 1 };
        var (topic, _) = StartTopic(options);
        var accepted = Publish(topic, Drafts.Range(1, 5));

        AwaitAssert(
            () =>
            {
                var state = State(topic);
                Assert.Equal(0, state.HistoryEvents);
                Assert.Equal([5L], StoredSeqs());
            },
            TimeSpan.FromSeconds(10));
        Stop(topic);

        var again = StartTopic(options);
        var recovered = State(again.Topic);
        Assert.Equal(accepted.Epoch, recovered.Epoch);
        Assert.Equal(5, recovered.LastSeq);
        Assert.Equal(0, recovered.HistoryEvents);
        Assert.Equal(6, Publish(again.Topic, Drafts.Numbered(6)).Events[0].Seq);
    }

    [Fact]
    public void A_topic_that_never_had_an_event_answers_reads_and_asks_to_passivate()
    {
        var parent = CreateTestProbe();
        var topic = parent.ChildActorOf(TopicActor.Props(Topic, new TopicOptions(), CreateTestProbe().Ref));

        topic.Tell(new GetTopicState(Topic), TestActor);
        var state = ExpectMsg<TopicState>();
        Assert.Equal(TopicLog.EmptyEpoch, state.Epoch);
        Assert.Equal(0, state.LastSeq);
        Assert.IsType<StopTopic>(parent.ExpectMsg<Passivate>().StopMessage);
        Assert.Empty(StoredSeqs());
    }

    [Fact]
    public void The_least_recently_used_topic_past_the_limit_passivates_and_comes_back_whole()
    {
        var active = new ActiveTopics(1);
        var parentA = CreateTestProbe();
        var a = parentA.ChildActorOf(TopicActor.Props("a", new TopicOptions(), CreateTestProbe().Ref, active: active));
        a.Tell(new PublishEvents("a", Drafts.Range(1, 2)), TestActor);
        var epoch = ExpectMsg<EventsAccepted>().Epoch;

        var parentB = CreateTestProbe();
        var b = parentB.ChildActorOf(TopicActor.Props("b", new TopicOptions(), CreateTestProbe().Ref, active: active));
        b.Tell(new PublishEvents("b", Drafts.Range(1, 1)), TestActor);
        ExpectMsg<EventsAccepted>();

        // "a" is the least recently used: it asks its shard to passivate it, finishing its writes.
        var passivate = parentA.ExpectMsg<Passivate>();
        Watch(a);
        a.Tell(passivate.StopMessage);
        ExpectTerminated(a);
        parentB.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var back = Sys.ActorOf(TopicActor.Props("a", new TopicOptions(), CreateTestProbe().Ref));
        back.Tell(new PublishEvents("a", [Drafts.Numbered(3)]));
        var accepted = ExpectMsg<EventsAccepted>();
        Assert.Equal(epoch, accepted.Epoch);
        Assert.Equal(3, accepted.Events[0].Seq);
    }

    private (IActorRef Topic, TestProbe Mediator) StartTopic(TopicOptions? options = null)
    {
        var mediator = CreateTestProbe();
        return (Sys.ActorOf(TopicActor.Props(Topic, options ?? new TopicOptions(), mediator.Ref)), mediator);
    }

    private void Stop(IActorRef topic)
    {
        Watch(topic);
        topic.Tell(StopTopic.Instance);
        ExpectTerminated(topic);
    }

    /// <summary>The seqs the journal still holds for the topic (its live rows), oldest first.</summary>
    private List<long> StoredSeqs()
    {
        var probe = CreateTestProbe();
        Persistence.Instance.Apply(Sys).JournalFor(null)
            .Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, TopicActor.PersistenceIdOf(Topic), probe.Ref));
        var seqs = new List<long>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            switch (probe.ExpectMsg<object>())
            {
                case ReplayedMessage replayed:
                    seqs.Add(((TopicEventRecord)replayed.Persistent.Payload).Seq);
                    break;
                case RecoverySuccess:
                    return seqs;
                case var other:
                    throw new InvalidOperationException($"Unexpected journal answer {other}.");
            }
        }

        throw new InvalidOperationException("The journal replayed more rows than the test expects.");
    }

    private EventsAccepted Publish(IActorRef topic, params EventDraft[] drafts)
    {
        topic.Tell(new PublishEvents(Topic, drafts));
        return ExpectMsg<EventsAccepted>();
    }

    private HistorySlice Read(IActorRef topic, long after, long upTo)
    {
        topic.Tell(new ReadHistory(Topic, after, upTo, int.MaxValue));
        return ExpectMsg<HistorySlice>();
    }

    private TopicState State(IActorRef topic)
    {
        topic.Tell(new GetTopicState(Topic));
        return ExpectMsg<TopicState>();
    }

    private sealed class FrameComparer : IEqualityComparer<(string Epoch, long Seq, byte[] IdLine, byte[] Body)>
    {
        public bool Equals((string Epoch, long Seq, byte[] IdLine, byte[] Body) x, (string Epoch, long Seq, byte[] IdLine, byte[] Body) y) =>
            x.Epoch == y.Epoch && x.Seq == y.Seq && x.IdLine.AsSpan().SequenceEqual(y.IdLine) && x.Body.AsSpan().SequenceEqual(y.Body);

        public int GetHashCode((string Epoch, long Seq, byte[] IdLine, byte[] Body) obj) => HashCode.Combine(obj.Epoch, obj.Seq);
    }
}
