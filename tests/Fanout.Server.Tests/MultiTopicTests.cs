using Fanout.Server.Tests.Infrastructure;

namespace Fanout.Server.Tests;

/// <summary><c>GET /events?topic=a&amp;topic=b</c>: one stream, one cursor covering every topic.</summary>
public sealed class MultiTopicTests(SmallLimitsNode fixture) : IClassFixture<SmallLimitsNode>
{
    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task One_stream_carries_both_topics_in_order_with_a_joint_cursor()
    {
        var (a, b) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"));
        await using var stream = await EventStream.OpenAsync(_node.Http, Path(a, b));

        var connected = await stream.NextAsync("fanout.connected");
        Assert.Equal([a, b], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([0L, 0L], Cursors.ParseMany(connected.Id!).Select(p => p.Seq));

        await PublishAsync(a, 1, 5);
        await PublishAsync(b, 1, 3);
        await PublishAsync(a, 6, 7);

        var read = await ReadAsync(stream, [a, b], connected.Id!, until: [7, 3]);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), read.Where(r => r.Topic == a).Select(r => r.Seq));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => (long)i), read.Where(r => r.Topic == b).Select(r => r.Seq));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resume_replays_each_topic_after_its_position_then_goes_live(bool cursorInQuery)
    {
        var (a, b) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"));
        string cursor;
        await using (var first = await EventStream.OpenAsync(_node.Http, Path(a, b)))
        {
            var connected = await first.NextAsync("fanout.connected");
            await PublishAsync(a, 1, 4);
            await PublishAsync(b, 1, 2);
            var read = await ReadAsync(first, [a, b], connected.Id!, until: [4, 2]);
            cursor = read[^1].Id;
            Assert.Equal([4L, 2L], Cursors.ParseMany(cursor).Select(p => p.Seq));
        }

        // Missed while disconnected, then published while the new stream attaches.
        await PublishAsync(a, 5, 8);
        await PublishAsync(b, 3, 3);
        var during = Task.Run(async () =>
        {
            await PublishAsync(b, 4, 9);
            await PublishAsync(a, 9, 12);
        });
        await using var resumed = cursorInQuery
            ? await EventStream.OpenAsync(_node.Http, Path(a, b) + $"&lastEventId={cursor}")
            : await EventStream.OpenAsync(_node.Http, Path(a, b), cursor);

        var again = await resumed.NextAsync("fanout.connected");
        Assert.True(again.Json.GetProperty("resumed").GetBoolean());
        var replayed = await ReadAsync(resumed, [a, b], cursor, until: [12, 9]);
        await during;

        Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i), replayed.Where(r => r.Topic == a).Select(r => r.Seq));
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), replayed.Where(r => r.Topic == b).Select(r => r.Seq));
    }

    [Fact]
    public async Task Resume_with_the_topics_in_reverse_order_continues_the_same_stream()
    {
        var (a, b) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"));
        string cursor;
        await using (var first = await EventStream.OpenAsync(_node.Http, Path(a, b)))
        {
            var connected = await first.NextAsync("fanout.connected");
            await PublishAsync(a, 1, 4);
            await PublishAsync(b, 1, 2);
            cursor = (await ReadAsync(first, [a, b], connected.Id!, until: [4, 2]))[^1].Id;
        }

        await PublishAsync(a, 5, 8);
        await PublishAsync(b, 3, 3);
        await using var resumed = await EventStream.OpenAsync(_node.Http, Path(b, a), cursor);

        // Resumed, no reset: the next frames are the missed events (a wrong reading of the
        // cursor would show as a fanout.reset, or as a seq NextAsync("message") does not expect).
        var again = await resumed.NextAsync("fanout.connected");
        Assert.True(again.Json.GetProperty("resumed").GetBoolean());
        Assert.Equal([b, a], again.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(cursor, again.Id);
        var replayed = await ReadAsync(resumed, [b, a], cursor, until: [3, 8]);
        Assert.Equal(Enumerable.Range(5, 4).Select(i => (long)i), replayed.Where(r => r.Topic == a).Select(r => r.Seq));
        Assert.Equal([3L], replayed.Where(r => r.Topic == b).Select(r => r.Seq));

        // Then live, still one position per topic in the same cursor.
        await PublishAsync(b, 4, 4);
        await PublishAsync(a, 9, 9);
        var live = await ReadAsync(resumed, [b, a], replayed[^1].Id, until: [4, 9]);
        Assert.Equal([(a, 9L), (b, 4L)], live.Select(r => (r.Topic, r.Seq)).OrderBy(r => r.Topic, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cursor_of_other_topics_resets_every_topic_as_invalid()
    {
        var (a, b, c) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"), TopicNames.Fresh("multi-c"));
        string cursor;
        await using (var first = await EventStream.OpenAsync(_node.Http, Path(a, b)))
        {
            var connected = await first.NextAsync("fanout.connected");
            await PublishAsync(a, 1, 1);
            cursor = (await ReadAsync(first, [a, b], connected.Id!, until: [1, 0]))[^1].Id;
        }

        await using var stream = await EventStream.OpenAsync(_node.Http, Path(c, a), cursor);

        var again = await stream.NextAsync("fanout.connected");
        Assert.False(again.Json.GetProperty("resumed").GetBoolean());
        var resets = new[] { await stream.NextAsync("fanout.reset"), await stream.NextAsync("fanout.reset") };
        Assert.Equal([c, a], resets.Select(r => r.Json.GetProperty("topic").GetString()));
        Assert.All(resets, r => Assert.Equal("cursor-invalid", r.Json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_cursor_for_another_number_of_topics_resets_every_topic()
    {
        var (a, b) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"));
        var published = await _node.PublishAsync(a, new { topic = "x", n = 1 });

        await using var stream = await EventStream.OpenAsync(_node.Http, Path(a, b), published.Id);

        var connected = await stream.NextAsync("fanout.connected");
        Assert.False(connected.Json.GetProperty("resumed").GetBoolean());
        var resets = new[] { await stream.NextAsync("fanout.reset"), await stream.NextAsync("fanout.reset") };
        Assert.Equal([a, b], resets.Select(r => r.Json.GetProperty("topic").GetString()));
        Assert.All(resets, r => Assert.Equal("cursor-invalid", r.Json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_topic_named_twice_is_streamed_once()
    {
        var a = TopicNames.Fresh("multi-dup");
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/events?topic={a}&topic={a}");

        var connected = await stream.NextAsync("fanout.connected");
        await PublishAsync(a, 1, 2);

        Assert.Equal([a], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1L, (await stream.NextAsync()).Seq);
        Assert.Equal(2L, (await stream.NextAsync()).Seq);
    }

    private static string Path(string a, string b) => $"/events?topic={a}&topic={b}";

    private async Task PublishAsync(string topic, int from, int to)
    {
        var published = await _node.PublishBatchAsync(topic, Enumerable.Range(from, to - from + 1).Select(n => (object)new { topic, n }));
        Assert.Equal(Enumerable.Range(from, to - from + 1).Select(i => (long)i), published.Select(p => p.Seq));
    }

    /// <summary>
    /// Reads events until every topic reached its <paramref name="until"/> seq (indexed like
    /// <paramref name="topics"/>). Each event's id must be the joint cursor after it (positions
    /// in sorted topic order, then the tag of <paramref name="startId"/>): its own topic's
    /// position advanced by exactly one (no duplicate, no hole), every other topic's unchanged.
    /// </summary>
    private static async Task<List<(string Topic, long Seq, string Id)>> ReadAsync(
        EventStream stream, string[] topics, string startId, long[] until)
    {
        var sorted = topics.Order(StringComparer.Ordinal).ToArray();
        var tag = Cursors.Tag(startId);
        var positions = Cursors.ParseMany(startId);
        var read = new List<(string Topic, long Seq, string Id)>();
        long SeqOf(int topic) => positions[Array.IndexOf(sorted, topics[topic])].Seq;
        for (var guard = 0; guard < 1000 && until.Select((last, i) => SeqOf(i) < last).Any(behind => behind); guard++)
        {
            var received = await stream.NextAsync("message");
            var topic = received.Json.GetProperty("topic").GetString()!;
            var seq = received.Json.GetProperty("n").GetInt64();
            var slot = Array.IndexOf(sorted, topic);
            Assert.True(slot >= 0, $"Event of an unexpected topic: {received.Data}");
            Assert.Equal(positions[slot].Seq + 1, seq);

            // A topic that had no event when the stream started is in the empty epoch "0"
            // until its first event draws the real one; every other position stays.
            var epoch = positions[slot] is ("0", 0) ? Cursors.ParseMany(received.Id!)[slot].Epoch : positions[slot].Epoch;
            positions[slot] = (epoch, seq);
            Assert.Equal(string.Join("_", positions.Select(p => $"{p.Epoch}-{p.Seq}")) + "." + tag, received.Id);
            read.Add((topic, seq, received.Id!));
        }

        Assert.Equal(until, until.Select((_, i) => SeqOf(i)));
        return read;
    }
}
