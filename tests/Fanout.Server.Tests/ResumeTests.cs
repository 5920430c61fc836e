using Fanout.Server.Tests.Infrastructure;

namespace Fanout.Server.Tests;

/// <summary>
/// Resuming one topic's stream from a cursor: replay from history, then live, with no
/// duplicate and no hole; a cursor that cannot be honoured gets <c>fanout.reset</c>.
/// </summary>
public sealed class ResumeTests(SmallLimitsNode fixture) : IClassFixture<SmallLimitsNode>
{
    private readonly TestNode _node = fixture.Node;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resume_replays_then_goes_live_without_duplicate_or_hole(bool cursorInQuery)
    {
        var topic = TopicNames.Fresh("resume");
        var before = await PublishRangeAsync(topic, 1, 20);
        var cursor = before[4].Id;

        // Publish while the resumed stream attaches, so the seam between replay and live
        // falls somewhere inside this run.
        var during = Task.Run(() => PublishRangeAsync(topic, 21, 60, batch: 3));
        await using var stream = cursorInQuery
            ? await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events?lastEventId={cursor}")
            : await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", cursor);

        var connected = await stream.NextAsync("fanout.connected");
        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        var seen = await ReadSeqsAsync(stream, upTo: 60);
        await during;
        var after = await PublishRangeAsync(topic, 61, 65);
        seen.AddRange(await ReadSeqsAsync(stream, upTo: 65));

        Assert.Equal(Enumerable.Range(6, 60).Select(i => (long)i), seen);
        Assert.Equal($"{Cursors.Parse(cursor).Epoch}-65", after[^1].Id);
    }

    [Fact]
    public async Task The_header_wins_over_the_query()
    {
        var topic = TopicNames.Fresh("precedence");
        var published = await PublishRangeAsync(topic, 1, 6);

        await using var stream = await EventStream.OpenAsync(
            _node.Http, $"/topics/{topic}/events?lastEventId={published[1].Id}", published[3].Id);
        await stream.NextAsync("fanout.connected");

        Assert.Equal([5L, 6L], await ReadSeqsAsync(stream, upTo: 6));
    }

    [Fact]
    public async Task Resume_from_the_newest_id_replays_nothing_and_continues_live()
    {
        var topic = TopicNames.Fresh("resume-latest");
        var published = await PublishRangeAsync(topic, 1, 3);

        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", published[^1].Id);
        var connected = await stream.NextAsync("fanout.connected");
        await PublishRangeAsync(topic, 4, 5);

        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal(published[^1].Id, connected.Id);
        Assert.Equal([4L, 5L], await ReadSeqsAsync(stream, upTo: 5));
    }

    [Fact]
    public async Task A_cursor_at_the_oldest_retained_event_still_resumes()
    {
        var topic = TopicNames.Fresh("edge");
        var last = SmallLimitsNode.HistoryEvents + 50;
        var published = await PublishRangeAsync(topic, 1, last);
        var oldestKept = last - SmallLimitsNode.HistoryEvents + 1;

        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", published[oldestKept - 2].Id);
        var connected = await stream.NextAsync("fanout.connected");

        Assert.True(connected.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal(Enumerable.Range(oldestKept, SmallLimitsNode.HistoryEvents).Select(i => (long)i), await ReadSeqsAsync(stream, upTo: last));
    }

    [Fact]
    public async Task A_cursor_older_than_the_history_gets_reset_then_live_events()
    {
        var topic = TopicNames.Fresh("expired");
        var last = SmallLimitsNode.HistoryEvents + 50;
        var published = await PublishRangeAsync(topic, 1, last);
        var oldestKept = last - SmallLimitsNode.HistoryEvents + 1;

        // One event before the boundary the previous test resumes from.
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", published[oldestKept - 3].Id);

        await AssertResetThenLiveAsync(stream, topic, "cursor-expired", published[^1]);
    }

    [Fact]
    public async Task A_cursor_of_an_unknown_epoch_gets_reset()
    {
        var topic = TopicNames.Fresh("epoch");
        var published = await PublishRangeAsync(topic, 1, 3);
        var epoch = Cursors.Parse(published[0].Id).Epoch;
        var other = epoch == "zzzzzzzzzzzzz" ? "0000000000000" : "zzzzzzzzzzzzz";

        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", $"{other}-2");

        await AssertResetThenLiveAsync(stream, topic, "epoch-changed", published[^1]);
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("12345")]
    [InlineData("-3")]
    [InlineData("abc-")]
    [InlineData("ABC-3")]
    [InlineData("abc-x")]
    [InlineData("abc-1_abc-2")]
    [InlineData("{epoch}-99")]
    public async Task An_unusable_cursor_gets_reset_as_invalid(string cursor)
    {
        var topic = TopicNames.Fresh("invalid");
        var published = await PublishRangeAsync(topic, 1, 3);
        cursor = cursor.Replace("{epoch}", Cursors.Parse(published[0].Id).Epoch, StringComparison.Ordinal);

        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events?lastEventId={Uri.EscapeDataString(cursor)}");

        await AssertResetThenLiveAsync(stream, topic, "cursor-invalid", published[^1]);
    }

    /// <summary>
    /// The stream says it did not resume, resets the topic with the reason and an id at the
    /// live position, then carries the next event published.
    /// </summary>
    private async Task AssertResetThenLiveAsync(EventStream stream, string topic, string reason, Published lastBefore)
    {
        var connected = await stream.NextAsync("fanout.connected");
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());

        var reset = await stream.NextAsync("fanout.reset");
        Assert.Equal(topic, reset.Json.GetProperty("topic").GetString());
        Assert.Equal(reason, reset.Json.GetProperty("reason").GetString());
        Assert.Equal(lastBefore.Id, reset.Id);

        var next = await _node.PublishAsync(topic, new { n = lastBefore.Seq + 1 });
        var live = await stream.NextAsync();
        Assert.Equal(next.Id, live.Id);
        Assert.Equal(lastBefore.Seq + 1, live.Seq);
    }

    private async Task<List<Published>> PublishRangeAsync(string topic, int from, int to, int batch = SmallLimitsNode.MaxBatchEvents)
    {
        var published = new List<Published>(to - from + 1);
        for (var n = from; n <= to; n += batch)
        {
            var count = Math.Min(batch, to - n + 1);
            published.AddRange(await _node.PublishBatchAsync(topic, Enumerable.Range(n, count).Select(i => (object)new { n = i })));
        }

        Assert.Equal(Enumerable.Range(from, to - from + 1).Select(i => (long)i), published.Select(p => p.Seq));
        return published;
    }

    /// <summary>Reads events until one with seq <paramref name="upTo"/>; every event must be an ordinary event.</summary>
    private static async Task<List<long>> ReadSeqsAsync(EventStream stream, long upTo)
    {
        var seqs = new List<long>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            var received = await stream.NextAsync("message");
            seqs.Add(received.Seq);
            Assert.Equal(received.Seq, received.Json.GetProperty("n").GetInt64());
            if (received.Seq >= upTo)
            {
                return seqs;
            }
        }

        throw new InvalidOperationException("Read 10,000 events without reaching the end.");
    }
}
