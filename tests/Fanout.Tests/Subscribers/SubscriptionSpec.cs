using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Fanout.Hosting;
using Fanout.Topics;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Subscribers;

/// <summary>Subscriptions through <see cref="FanoutHub.Subscribe"/> on a one-node cluster: frames, order, resume, reset.</summary>
public sealed class SubscriptionSpec : FanoutClusterTestKit
{
    private const int HistoryEvents = 100;

    public SubscriptionSpec(ITestOutputHelper output)
        : base(QuietOptions(o => o.Topic.HistoryEvents = HistoryEvents), output)
    {
    }

    [Fact]
    public async Task First_frame_is_connected_with_retry_node_topics_and_the_start_cursor()
    {
        var epoch = (await PublishAsync("t", 1, 3)).Epoch;

        var probe = Open("t");

        var connected = Next(probe);
        Assert.Equal(SseEncoder.ConnectedEvent, connected.EventType);
        Assert.Equal(TimeSpan.FromMilliseconds(Options.Subscriber.RetryMilliseconds), connected.Retry);
        Assert.Equal($"{epoch}-3", connected.Id);
        Assert.Equal(Hub.Node, connected.Json.GetProperty("node").GetString());
        Assert.Equal(["t"], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());

        // Without a cursor the stream starts live: the next frame is the next event.
        await PublishAsync("t", 4, 1);
        Assert.Equal(4, Next(probe).Seq);
    }

    [Fact]
    public async Task Live_events_arrive_in_seq_order_with_their_ids_and_data()
    {
        var probe = Open("t");
        Next(probe);

        var epochs = new HashSet<string>();
        for (var batch = 0; batch < 3; batch++)
        {
            epochs.Add((await PublishAsync("t", (batch * 10) + 1, 10)).Epoch);
        }

        var epoch = Assert.Single(epochs);
        for (var seq = 1; seq <= 30; seq++)
        {
            var frame = Next(probe);
            Assert.Equal($"{epoch}-{seq}", frame.Id);
            Assert.Equal(Drafts.Type, frame.EventType);
            Assert.Equal(seq, frame.Json.GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task Resume_replays_from_history_then_continues_live()
    {
        var ids = (await PublishAsync("t", 1, 10)).Events.Select(e => e.Id).ToList();

        var probe = Open(new SubscriptionRequest(["t"], ids[3]));

        var connected = Next(probe);
        Assert.Equal(SseEncoder.ConnectedEvent, connected.EventType);
        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal(ids[3], connected.Id);
        for (var seq = 5; seq <= 10; seq++)
        {
            var frame = Next(probe);
            Assert.Equal(ids[seq - 1], frame.Id);
            Assert.Equal(seq, frame.Json.GetProperty("n").GetInt32());
        }

        await PublishAsync("t", 11, 5);
        for (var seq = 11; seq <= 15; seq++)
        {
            Assert.Equal(seq, Next(probe).Seq);
        }
    }

    [Fact]
    public async Task Cursor_at_the_last_event_resumes_with_nothing_to_replay()
    {
        var ids = (await PublishAsync("t", 1, 3)).Events.Select(e => e.Id).ToList();

        var probe = Open(new SubscriptionRequest(["t"], ids[2]));

        var connected = Next(probe);
        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal(ids[2], connected.Id);
        await PublishAsync("t", 4, 1);
        Assert.Equal(4, Next(probe).Seq);
    }

    [Fact]
    public async Task Cursor_at_seq_zero_of_the_current_epoch_replays_the_whole_history()
    {
        var epoch = (await PublishAsync("t", 1, 3)).Epoch;

        var probe = Open(new SubscriptionRequest(["t"], $"{epoch}-0"));

        Assert.True(Next(probe).Json.GetProperty("resumed").GetBoolean());
        Assert.Equal([1L, 2L, 3L], Enumerable.Range(0, 3).Select(_ => Next(probe).Seq));
    }

    [Fact]
    public async Task Resume_while_events_are_being_published_has_no_duplicate_and_no_hole()
    {
        const int Last = 80;
        for (var round = 0; round < 3; round++)
        {
            var topic = $"race-{round}";
            var cursor = (await PublishAsync(topic, 1, 10)).Events[4].Id;

            var publishing = Task.Run(async () =>
            {
                for (var n = 11; n <= Last; n++)
                {
                    await PublishAsync(topic, n, 1);
                }
            });
            var probe = Open(new SubscriptionRequest([topic], cursor));

            Assert.True(Next(probe).Json.GetProperty("resumed").GetBoolean());
            var seqs = new List<long>();
            while (seqs.Count == 0 || seqs[^1] < Last)
            {
                var frame = Next(probe);
                Assert.Equal(Drafts.Type, frame.EventType);
                seqs.Add(frame.Seq);
                Assert.True(seqs.Count <= Last, $"More frames than events: {string.Join(",", seqs)}");
            }

            await publishing.WaitAsync(Patience);
            Assert.Equal(Enumerable.Range(6, Last - 5).Select(n => (long)n), seqs);
            probe.Cancel();
        }
    }

    [Fact]
    public async Task Cursor_right_before_the_oldest_event_in_history_replays_all_of_it()
    {
        var ids = (await PublishAsync("t", 1, HistoryEvents + 10)).Events.Select(e => e.Id).ToList();
        var state = await Hub.GetTopicStateAsync("t");
        Assert.Equal(11, state.FirstAvailableSeq);

        var probe = Open(new SubscriptionRequest(["t"], ids[9])); // seq 10: nothing of it is missing

        Assert.True(Next(probe).Json.GetProperty("resumed").GetBoolean());
        for (var seq = 11; seq <= HistoryEvents + 10; seq++)
        {
            Assert.Equal(seq, Next(probe).Seq);
        }
    }

    [Fact]
    public async Task Cursor_older_than_the_history_is_reset_as_expired_then_the_stream_goes_on_live()
    {
        var accepted = await PublishAsync("t", 1, HistoryEvents + 10);
        var cursor = accepted.Events[8].Id; // seq 9: seq 10 is gone from the history

        var probe = Open(new SubscriptionRequest(["t"], cursor));

        var connected = Next(probe);
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        AssertReset(Next(probe), "t", ResetReason.CursorExpired, connected.Id);

        await PublishAsync("t", 1, 1);
        Assert.Equal(HistoryEvents + 11, Next(probe).Seq);
    }

    [Fact]
    public async Task Cursor_of_another_epoch_is_reset_as_epoch_changed()
    {
        var epoch = (await PublishAsync("t", 1, 5)).Epoch;
        var otherEpoch = epoch == "0000000000000" ? "0000000000001" : "0000000000000";

        var probe = Open(new SubscriptionRequest(["t"], $"{otherEpoch}-3"));

        var connected = Next(probe);
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal($"{epoch}-5", connected.Id);
        AssertReset(Next(probe), "t", ResetReason.EpochChanged, connected.Id);

        await PublishAsync("t", 6, 1);
        Assert.Equal(6, Next(probe).Seq);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("{epoch}-99")] // past the topic's last seq
    [InlineData("{epoch}-3_{epoch}-3")] // two positions for one topic
    [InlineData("{epoch}-x")]
    public async Task Cursor_that_cannot_be_honoured_is_reset_as_invalid(string template)
    {
        var epoch = (await PublishAsync("t", 1, 5)).Epoch;

        var probe = Open(new SubscriptionRequest(["t"], template.Replace("{epoch}", epoch, StringComparison.Ordinal)));

        var connected = Next(probe);
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        AssertReset(Next(probe), "t", ResetReason.CursorInvalid, connected.Id);

        await PublishAsync("t", 6, 1);
        Assert.Equal(6, Next(probe).Seq);
    }

    [Fact]
    public async Task Multi_topic_stream_carries_one_cursor_over_all_its_topics()
    {
        var probe = Open("a", "b");
        var connected = Next(probe);

        // Topics without events sit in the empty epoch until their first event draws theirs.
        var empty = TopicLog.EmptyEpoch;
        Assert.Equal(AB(empty, 0, empty, 0), connected.Id);
        Assert.Matches($"^{empty}-0_{empty}-0\\.[0-9a-z]+$", connected.Id);
        Assert.Equal(["a", "b"], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        var ea = (await PublishAsync("a", 1, 1)).Epoch;
        Assert.Equal(AB(ea, 1, empty, 0), Next(probe).Id);
        var eb = (await PublishAsync("b", 1, 1)).Epoch;
        Assert.Equal(AB(ea, 1, eb, 1), Next(probe).Id);
        await PublishAsync("a", 2, 1);
        Assert.Equal(AB(ea, 2, eb, 1), Next(probe).Id);
    }

    [Fact]
    public async Task Multi_topic_cursor_lists_positions_in_sorted_topic_order_whatever_the_request_order()
    {
        var probe = Open("b", "a");
        var connected = Next(probe);
        var empty = TopicLog.EmptyEpoch;

        // The connected frame names the topics as asked; the cursor does not depend on it.
        Assert.Equal(["b", "a"], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(AB(empty, 0, empty, 0), connected.Id);
        var eb = (await PublishAsync("b", 1, 1)).Epoch;
        Assert.Equal(AB(empty, 0, eb, 1), Next(probe).Id);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public async Task Multi_topic_resume_replays_each_topic_from_its_position(string first, string second)
    {
        var ea = (await PublishAsync("a", 1, 3)).Epoch;
        var eb = (await PublishAsync("b", 1, 2)).Epoch;

        var probe = Open(new SubscriptionRequest([first, second], AB(ea, 1, eb, 0)));

        var connected = Next(probe);
        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal(AB(ea, 1, eb, 0), connected.Id);
        // Each topic replays after its own position, topic by topic in the request's order.
        string[] aThenB = [AB(ea, 2, eb, 0), AB(ea, 3, eb, 0), AB(ea, 3, eb, 1), AB(ea, 3, eb, 2)];
        string[] bThenA = [AB(ea, 1, eb, 1), AB(ea, 1, eb, 2), AB(ea, 2, eb, 2), AB(ea, 3, eb, 2)];
        Assert.Equal(first == "a" ? aThenB : bThenA, Enumerable.Range(0, 4).Select(_ => Next(probe).Id));

        await PublishAsync("b", 3, 1);
        Assert.Equal(AB(ea, 3, eb, 3), Next(probe).Id);
    }

    [Fact]
    public async Task Multi_topic_cursor_with_the_wrong_number_of_positions_resets_every_topic()
    {
        var ea = (await PublishAsync("a", 1, 2)).Epoch;
        await PublishAsync("b", 1, 2);

        var probe = Open(new SubscriptionRequest(["a", "b"], $"{ea}-1"));

        var connected = Next(probe);
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        AssertReset(Next(probe), "a", ResetReason.CursorInvalid, connected.Id);
        AssertReset(Next(probe), "b", ResetReason.CursorInvalid, connected.Id);
    }

    [Fact]
    public async Task Multi_topic_cursor_of_other_topics_resets_every_topic_as_invalid_in_request_order()
    {
        var ea = (await PublishAsync("a", 1, 2)).Epoch;
        var eb = (await PublishAsync("b", 1, 2)).Epoch;
        await PublishAsync("c", 1, 2);

        var probe = Open(new SubscriptionRequest(["c", "a"], AB(ea, 1, eb, 1)));

        var connected = Next(probe);
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        AssertReset(Next(probe), "c", ResetReason.CursorInvalid, connected.Id);
        AssertReset(Next(probe), "a", ResetReason.CursorInvalid, connected.Id);
        await PublishAsync("a", 3, 1);
        Assert.Equal(3, Next(probe).Json.GetProperty("n").GetInt64());
    }

    [Fact]
    public void Idle_stream_carries_keepalive_comments()
    {
        var options = QuietOptions(o => o.Subscriber.HeartbeatSeconds = 1);
        var hub = new FanoutHub(Sys, TopicRegion, Publisher, options);
        var probe = hub.Subscribe(new SubscriptionRequest(["t"], null)).RunWith(this.SinkProbe<SseFrame>(), hub.Materializer);
        probe.Request(2);

        Assert.Equal(SseEncoder.ConnectedEvent, ParsedFrame.Of(probe.ExpectNext(Patience)).EventType);
        Assert.Equal(": keepalive\n\n", ParsedFrame.Text(probe.ExpectNext(Patience)));
    }

    [Fact]
    public void A_subscriber_is_on_the_heartbeat_wheel_while_connected_and_off_it_once_stopped()
    {
        var options = QuietOptions(o => o.Subscriber.HeartbeatSeconds = 60);
        var hub = new FanoutHub(Sys, TopicRegion, Publisher, options);
        var wheel = HeartbeatWheelExtension.Get(Sys, TimeSpan.FromSeconds(60));
        var probe = hub.Subscribe(new SubscriptionRequest(["t"], null)).RunWith(this.SinkProbe<SseFrame>(), hub.Materializer);
        probe.Request(1);
        Assert.Equal(SseEncoder.ConnectedEvent, ParsedFrame.Of(probe.ExpectNext(Patience)).EventType);
        AwaitAssert(() => Assert.Equal(1, wheel.Count), Patience);

        probe.Cancel();
        AwaitAssert(() => Assert.Equal(0, wheel.Count), Patience);
    }

    [Fact]
    public async Task Frames_that_are_ready_together_come_as_one_batch()
    {
        var (status, probe) = Hub.SubscribeBatches(new SubscriptionRequest(["t"], null))
            .ToMaterialized(this.SinkProbe<SseFrameBatch>(), Keep.Both)
            .Run(Hub.Materializer);
        probe.Request(1);
        var connected = Assert.Single(probe.ExpectNext(Patience).Frames.ToArray());
        Assert.Equal(SseEncoder.ConnectedEvent, ParsedFrame.Of(connected).EventType);

        // Nothing is requested while the events arrive: they wait in the stream's channel.
        await PublishAsync("t", 1, 5);
        await AwaitAssertAsync(() => Assert.Equal(5, status.Delivered), Patience);

        probe.Request(1);
        var batch = probe.ExpectNext(Patience);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], batch.Frames.ToArray().Select(f => ParsedFrame.Of(f).Seq));
        Assert.Equal(batch.Frames.ToArray().Sum(f => f.Length), batch.Bytes);
    }

    /// <summary>The cursor of a subscription to topics a and b (in either order).</summary>
    private static string AB(string ea, long sa, string eb, long sb) =>
        new CursorShape(["a", "b"]).Format([new TopicPosition(ea, sa), new TopicPosition(eb, sb)]);

    private static void AssertReset(ParsedFrame frame, string topic, string reason, string? cursor)
    {
        Assert.Equal(SseEncoder.ResetEvent, frame.EventType);
        Assert.Equal(topic, frame.Topic);
        Assert.Equal(reason, frame.Json.GetProperty("reason").GetString());
        Assert.Equal(cursor, frame.Id);
    }
}
