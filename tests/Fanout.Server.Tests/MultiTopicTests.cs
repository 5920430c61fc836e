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
        await using var stream = await SseStream.OpenAsync(_node.Http, Path(a, b));

        var connected = await stream.NextAsync("fanout.connected");
        Assert.Equal([a, b], connected.Json.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        var start = Cursors.ParseMany(connected.Id!);
        Assert.Equal([0L, 0L], start.Select(p => p.Seq));

        await PublishAsync(a, 1, 5);
        await PublishAsync(b, 1, 3);
        await PublishAsync(a, 6, 7);

        var read = await ReadAsync(stream, [a, b], start, until: [7, 3]);
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
        (string Epoch, long Seq)[] start;
        await using (var first = await SseStream.OpenAsync(_node.Http, Path(a, b)))
        {
            var connected = await first.NextAsync("fanout.connected");
            await PublishAsync(a, 1, 4);
            await PublishAsync(b, 1, 2);
            var read = await ReadAsync(first, [a, b], Cursors.ParseMany(connected.Id!), until: [4, 2]);
            cursor = read[^1].Id;
            start = Cursors.ParseMany(cursor);
            Assert.Equal([4L, 2L], start.Select(p => p.Seq));
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
            ? await SseStream.OpenAsync(_node.Http, Path(a, b) + $"&lastEventId={cursor}")
            : await SseStream.OpenAsync(_node.Http, Path(a, b), cursor);

        var again = await resumed.NextAsync("fanout.connected");
        Assert.True(again.Json.GetProperty("resumed").GetBoolean());
        var replayed = await ReadAsync(resumed, [a, b], start, until: [12, 9]);
        await during;

        Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i), replayed.Where(r => r.Topic == a).Select(r => r.Seq));
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), replayed.Where(r => r.Topic == b).Select(r => r.Seq));
    }

    [Fact]
    public async Task A_cursor_for_another_number_of_topics_resets_every_topic()
    {
        var (a, b) = (TopicNames.Fresh("multi-a"), TopicNames.Fresh("multi-b"));
        var published = await _node.PublishAsync(a, new { topic = "x", n = 1 });

        await using var stream = await SseStream.OpenAsync(_node.Http, Path(a, b), published.Id);

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
        await using var stream = await SseStream.OpenAsync(_node.Http, $"/events?topic={a}&topic={a}");

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
    /// Reads events until every topic reached its <paramref name="until"/> seq. Each event's
    /// id must be the joint cursor after it: its own topic's position advanced by exactly
    /// one (no duplicate, no hole), every other topic's position unchanged.
    /// </summary>
    private static async Task<List<(string Topic, long Seq, string Id)>> ReadAsync(
        SseStream stream, string[] topics, (string Epoch, long Seq)[] start, long[] until)
    {
        var positions = start.ToArray();
        var read = new List<(string Topic, long Seq, string Id)>();
        for (var guard = 0; guard < 1000 && positions.Select((p, i) => p.Seq < until[i]).Any(behind => behind); guard++)
        {
            var received = await stream.NextAsync("message");
            var topic = received.Json.GetProperty("topic").GetString()!;
            var seq = received.Json.GetProperty("n").GetInt64();
            var index = Array.IndexOf(topics, topic);
            Assert.True(index >= 0, $"Event of an unexpected topic: {received.Data}");
            Assert.Equal(positions[index].Seq + 1, seq);

            // A topic that had no event when the stream started is in the empty epoch "0"
            // until its first event draws the real one; every other position stays.
            var epoch = positions[index] is ("0", 0) ? Cursors.ParseMany(received.Id!)[index].Epoch : positions[index].Epoch;
            positions[index] = (epoch, seq);
            Assert.Equal(string.Join("_", positions.Select(p => $"{p.Epoch}-{p.Seq}")), received.Id);
            read.Add((topic, seq, received.Id!));
        }

        Assert.Equal(until, positions.Select(p => p.Seq));
        return read;
    }
}
