using System.Text;
using System.Text.Json;
using Akka.Actor;
using Fanout.Dialects;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Tests.Support;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Dialects;

/// <summary>
/// A subscription with a dialect: its frames replace Fanout's, an event it skips counts as
/// seen, each event's frame is built once for every subscriber of the dialect, and a gap
/// ends the stream after the events before it instead of a <c>fanout.lagged</c>.
/// </summary>
public sealed class DialectSubscriptionSpec : FanoutClusterTestKit
{
    private const int MailboxEvents = 8;

    public DialectSubscriptionSpec(ITestOutputHelper output)
        : base(
            QuietOptions(o =>
            {
                o.Subscriber.MaxEvents = MailboxEvents;
                o.Subscriber.StreamBufferFrames = 1;
            }),
            output)
    {
    }

    [Fact]
    public async Task A_dialect_writes_its_own_frames_and_skipped_events_leave_no_gap()
    {
        var probe = Open(new SubscriptionRequest(["t"], null, Dialect: new EvenOnly(GapPolicy.Report)));
        Assert.Equal(": hello\n\n", ParsedFrame.Text(probe.ExpectNext(Patience)));

        await PublishAsync("t", 1, 6);

        Assert.Equal(["even 2", "even 4", "even 6"], Enumerable.Range(0, 3).Select(_ => Next(probe).Data));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Every_subscriber_of_a_dialect_shares_one_frame_per_event()
    {
        var encoding = new CountingEncoding();
        var a = Open(new SubscriptionRequest(["t"], null, Dialect: new EvenOnly(GapPolicy.Report, encoding)));
        var b = Open(new SubscriptionRequest(["t"], null, Dialect: new EvenOnly(GapPolicy.Report, encoding)));
        a.ExpectNext(Patience);
        b.ExpectNext(Patience);

        await PublishAsync("t", 1, 4);

        foreach (var probe in new[] { a, b })
        {
            Assert.Equal(["even 2", "even 4"], Enumerable.Range(0, 2).Select(_ => Next(probe).Data));
        }

        Assert.Equal(4, encoding.Encoded);
    }

    [Fact]
    public async Task A_gap_ends_the_stream_after_the_events_before_it()
    {
        var probe = Open(new SubscriptionRequest(["t"], null, Dialect: new EvenOnly(GapPolicy.EndStream)), demand: 1);
        probe.ExpectNext(Patience);
        var mailbox = MailboxOf(await SubscriberActorAsync(1));

        // 2 waits in the stream's one-frame buffer, 4 on its offer: the subscriber stalls.
        await PublishAsync("t", 1, 4);
        await AwaitAssertAsync(
            async () =>
            {
                var details = await Publisher.Ask<SubscriberDetails>(GetSubscriberDetails.Instance, Patience);
                Assert.Equal(2, Assert.Single(details.Subscribers).Delivered);
            },
            Patience);

        await PublishAsync("t", 5, 96);
        AwaitAssert(() => Assert.True(mailbox.Drops.TotalDropped > 0), Patience);

        var seqs = new List<int>();
        probe.Request(1_000);
        while (true)
        {
            var next = probe.ExpectEvent(Patience);
            if (next is Akka.Streams.TestKit.TestSubscriber.OnComplete)
            {
                break;
            }

            var frame = ParsedFrame.Of(Assert.IsType<Akka.Streams.TestKit.TestSubscriber.OnNext<SseFrame>>(next).Element);
            seqs.Add(int.Parse(frame.Data["even ".Length..]));
        }

        // Only even events, in order, without a hole among them, and not all of them: the
        // stream ended at the first gap, where the client would resume from its last id.
        Assert.Equal([2, 4], seqs);
    }

    [Fact]
    public async Task A_resumed_dialect_stream_gets_no_reset_frame()
    {
        await PublishAsync("t", 1, 2);
        var probe = Open(new SubscriptionRequest(["t"], "not-a-cursor", Dialect: new EvenOnly(GapPolicy.Report)));
        probe.ExpectNext(Patience);

        await PublishAsync("t", 3, 2);

        Assert.Equal("even 4", Next(probe).Data);
    }

    [Fact]
    public void An_event_exposes_its_type_and_data_as_views_of_its_body()
    {
        var evt = new TopicEvent("t", "e1", 3, SseEncoder.IdLine("e1-3"), SseEncoder.EventBody("order.créé", """{"n":[1,2]}"""u8));

        Assert.Equal("order.créé", evt.Type);
        Assert.Equal("""{"n":[1,2]}""", Encoding.UTF8.GetString(evt.Data.Span));
    }

    /// <summary>Delivers events whose <c>n</c> is even, as <c>data: even n</c>; one encoding instance shared by its subscribers.</summary>
    private sealed class EvenOnly(GapPolicy gaps, CountingEncoding? encoding = null) : IEventDialect
    {
        private static readonly CountingEncoding Shared = new();

        private readonly CountingEncoding _encoding = encoding ?? Shared;

        public GapPolicy Gaps => gaps;

        public bool ReportsResets => false;

        public SseFrame? Connected(SubscriptionStart start) => SseFrame.Of(": hello\n\n"u8.ToArray());

        public SseFrame? Frame(TopicEvent evt)
        {
            var encoded = evt.FrameFor(_encoding);
            return encoded.N % 2 == 0 ? encoded.Frame : null;
        }
    }

    private sealed record Encoded(int N, SseFrame Frame);

    private sealed class CountingEncoding : IDialectEncoding<Encoded>
    {
        private int _encoded;

        public int Encoded => _encoded;

        public Encoded Encode(TopicEvent evt)
        {
            Interlocked.Increment(ref _encoded);
            var n = JsonDocument.Parse(evt.Data).RootElement.GetProperty("n").GetInt32();
            return new Encoded(n, SseFrame.Of(Encoding.UTF8.GetBytes($"id: {n}\ndata: even {n}\n\n")));
        }
    }
}
