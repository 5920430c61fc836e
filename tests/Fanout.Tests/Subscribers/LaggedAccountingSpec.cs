using Akka.Streams.TestKit;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Subscribers;

/// <summary>
/// A consumer that stops pulling while events are published, with a tiny subscriber
/// mailbox: when it pulls again, every seq must be covered exactly once, in order, by an
/// event or by a <c>fanout.lagged</c> range.
/// </summary>
public sealed class LaggedAccountingSpec : FanoutClusterTestKit
{
    private const int MailboxEvents = 8;

    private const int StreamBufferFrames = 1;

    // What a stalled subscription holds besides its mailbox: the stream queue's buffer,
    // the offer it waits on, and some slack.
    private const int Held = StreamBufferFrames + 1 + MailboxEvents + 5;

    public LaggedAccountingSpec(ITestOutputHelper output)
        : base(
            QuietOptions(o =>
            {
                o.Subscriber.MaxEvents = MailboxEvents;
                o.Subscriber.StreamBufferFrames = StreamBufferFrames;
            }),
            output)
    {
    }

    [Fact]
    public async Task Every_seq_a_stalled_consumer_missed_is_in_exactly_one_lagged_range()
    {
        const int PerRound = 300;
        var probe = Open(new SubscriptionRequest(["t"], null), demand: 1);
        Assert.Equal(SseEncoder.ConnectedEvent, Next(probe).EventType);
        var mailbox = MailboxOf(await SubscriberActorAsync(1));
        var coverage = new Coverage("t");

        for (var round = 0; round < 2; round++)
        {
            var last = (round + 1) * PerRound;
            for (var first = (round * PerRound) + 1; first <= last; first += 50)
            {
                await PublishAsync("t", first, 50);
            }

            // Wait until nearly every event reached the stalled subscriber, so most of them were dropped.
            var droppedBefore = round == 0 ? 0 : coverage.LaggedTotal;
            AwaitAssert(() => Assert.True(mailbox.Drops.TotalDropped >= droppedBefore + PerRound - Held), Patience);

            while (coverage.Next < last + 1)
            {
                coverage.Add(ParsedFrame.Of(probe.RequestNext(Patience)));
            }

            Assert.Equal(last + 1, coverage.Next);
        }

        Assert.True(coverage.LaggedFrames >= 2, "The consumer never lagged: the test did not test anything.");
        Assert.Equal(mailbox.Drops.TotalDropped, coverage.LaggedTotal);

        // Caught up: the next event follows directly, with no stale lagged frame before it.
        await PublishAsync("t", 1, 1);
        var next = ParsedFrame.Of(probe.RequestNext(Patience));
        Assert.Equal(Drafts.Type, next.EventType);
        Assert.Equal(2 * PerRound + 1, next.Seq);
    }

    [Fact]
    public async Task Events_of_a_quiet_topic_pushed_out_by_a_busy_one_are_reported_as_lagged()
    {
        var probe = Open(new SubscriptionRequest(["busy", "quiet"], null), demand: 1);
        Assert.Equal(SseEncoder.ConnectedEvent, Next(probe).EventType);
        var mailbox = MailboxOf(await SubscriberActorAsync(1));

        // Quiet 1 fills the one-frame stream buffer, quiet 2 waits on its offer, and the
        // subscriber stops taking messages: quiet 3..5 stay in its mailbox.
        await PublishAsync("quiet", 1, 5);
        AwaitAssert(() => Assert.Equal(3, mailbox.EventCount), Patience);

        // The busy topic pushes them out; no quiet event follows that could reveal the gap.
        await PublishAsync("busy", 1, 100);
        AwaitAssert(() => Assert.Equal(100 + 3 - MailboxEvents, mailbox.Drops.TotalDropped), Patience);

        var shape = new CursorShape(["busy", "quiet"]);
        var busy = new Coverage("busy", shape);
        var quiet = new Coverage("quiet", shape);
        while (busy.Next <= 100 || quiet.Next <= 5)
        {
            var frame = ParsedFrame.Of(probe.RequestNext(Patience));
            var owner = frame.EventType == SseEncoder.LaggedEvent
                ? (frame.Topic == "busy" ? busy : quiet)
                : (OwnsEvent(busy, frame) ? busy : quiet);
            owner.Add(frame);
        }

        Assert.Equal(101, busy.Next);
        Assert.Equal(6, quiet.Next);
        Assert.Equal(3, quiet.LaggedTotal);
        Assert.Equal(92, busy.LaggedTotal);
    }

    private static bool OwnsEvent(Coverage coverage, ParsedFrame frame) => coverage.SeqIn(frame) == coverage.Next;

    /// <summary>Walks one topic's frames and checks that they cover its seqs once each, in order.</summary>
    private sealed class Coverage(string topic, CursorShape? shape = null)
    {
        private readonly CursorShape _shape = shape ?? new CursorShape([topic]);

        /// <summary>The next seq a frame must cover.</summary>
        public long Next { get; private set; } = 1;

        public long LaggedTotal { get; private set; }

        public int LaggedFrames { get; private set; }

        public void Add(ParsedFrame frame)
        {
            if (frame.EventType == SseEncoder.LaggedEvent)
            {
                var json = frame.Json;
                var from = json.GetProperty("fromSeq").GetInt64();
                var to = json.GetProperty("toSeq").GetInt64();
                Assert.Equal(topic, frame.Topic);
                Assert.Equal(Next, from);
                Assert.True(to >= from, $"Lagged range {from}..{to} is empty.");
                Assert.Equal(to - from + 1, json.GetProperty("dropped").GetInt64());
                LaggedFrames++;
                LaggedTotal += to - from + 1;
                Next = to + 1;
                return;
            }

            Assert.Equal(Drafts.Type, frame.EventType);
            Assert.Equal(Next, SeqIn(frame));
            Assert.Equal(Next, frame.Json.GetProperty("n").GetInt64());
            Next++;
        }

        /// <summary>This topic's seq in the frame's cursor.</summary>
        public long SeqIn(ParsedFrame frame)
        {
            Assert.True(_shape.TryParse(frame.Id, out var positions), $"Bad id '{frame.Id}'.");
            Assert.True(_shape.TryGetSlot(topic, out var slot));
            return positions[slot].Seq;
        }
    }
}
