using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fanout.Server.Tests.Infrastructure;

namespace Fanout.Server.Tests;

/// <summary>The SSE wire format of one stream: headers, the connected frame, heartbeats, ids.</summary>
public sealed class SseStreamTests(SmallLimitsNode fixture) : IClassFixture<SmallLimitsNode>
{
    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task Stream_headers_announce_an_uncompressed_uncached_event_stream()
    {
        var topic = TopicNames.Fresh("headers");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/topics/{topic}/events");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");

        using var response = await _node.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Connected_frame_arrives_before_anything_is_published()
    {
        var topic = TopicNames.Fresh("connected");

        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        var connected = await stream.NextAsync("fanout.connected", TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(SmallLimitsNode.RetryMilliseconds), connected.Retry);
        var data = connected.Json;
        Assert.False(string.IsNullOrEmpty(data.GetProperty("node").GetString()));
        Assert.Equal([topic], data.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.False(data.GetProperty("resumed").GetBoolean());
    }

    [Fact]
    public async Task Idle_stream_carries_keepalive_comments()
    {
        var topic = TopicNames.Fresh("keepalive");
        using var response = await EventStream.SendAsync(_node.Http, $"/topics/{topic}/events");
        await using var body = await response.Content.ReadAsStreamAsync();

        // SseParser skips comments, so read the bytes: the connected frame, then a heartbeat
        // (every second on this node) while nothing is published.
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!text.ToString().Contains("\n\n: keepalive\n\n", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, deadline.Token);
            Assert.True(read > 0, $"Stream ended before a keepalive: {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.StartsWith("id: ", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("event: fanout.connected\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_event_carries_the_id_type_and_compact_data_it_was_published_with()
    {
        var topic = TopicNames.Fresh("ids");
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        var connected = await stream.NextAsync("fanout.connected");

        var first = await _node.PublishAsync(topic, new { n = 1, text = "héllo" }, "order.created");
        var rest = await _node.PublishBatchAsync(topic, [new { n = 2 }, new { n = 3 }], "order.updated");
        Published[] published = [first, .. rest];

        foreach (var (expected, n) in published.Select((p, i) => (p, i + 1)))
        {
            var received = await stream.NextAsync();
            Assert.Equal(expected.Id, received.Id);
            Assert.Equal(n == 1 ? "order.created" : "order.updated", received.Type);
            Assert.Equal(n == 1 ? """{"n":1,"text":"héllo"}""" : $$"""{"n":{{n}}}""", received.Data);
        }

        Assert.Equal([1L, 2L, 3L], published.Select(p => p.Seq));

        // The topic had no event when the stream started: its cursor was the empty one.
        Assert.Equal("0-0", connected.Id);
    }
}
