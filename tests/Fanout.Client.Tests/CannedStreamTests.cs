using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Fanout.Testing;

namespace Fanout.Client.Tests;

/// <summary>
/// The client's side of the stream protocol against canned SSE answers (no node): what it
/// sends back as Last-Event-ID after each kind of frame, and how it handles shutdown.
/// </summary>
public sealed class CannedStreamTests
{
    [Fact]
    public async Task After_fanout_shutdown_it_reconnects_with_the_last_id_and_sees_each_event_once()
    {
        var stub = new CannedStreams(
            "retry: 50\nid: c0\nevent: fanout.connected\ndata: {\"node\":\"a\",\"topics\":[\"t\"],\"resumed\":false}\n\n" +
            "id: c1\nevent: message\ndata: 1\n\n" +
            "retry: 100\nevent: fanout.shutdown\ndata: {\"node\":\"a\"}\n\n",
            "retry: 50\nid: c1\nevent: fanout.connected\ndata: {\"node\":\"b\",\"topics\":[\"t\"],\"resumed\":true}\n\n" +
            "id: c2\nevent: message\ndata: 2\n\n");
        using var client = stub.Client();
        await using var reading = new Reading(client, "t");

        Assert.Equal("c1", (await reading.NextAsync()).Id);
        Assert.Equal("c2", (await reading.NextAsync()).Id);
        Assert.Equal([null, "c1"], stub.LastEventIds.Take(2));
    }

    [Fact]
    public async Task A_lagged_frame_leaves_the_cursor_where_the_last_event_put_it()
    {
        var stub = new CannedStreams(
            "retry: 50\nid: c0\nevent: fanout.connected\ndata: {\"node\":\"a\",\"topics\":[\"t\"],\"resumed\":true}\n\n" +
            "id: c1\nevent: message\ndata: 1\n\n" +
            "event: fanout.lagged\ndata: {\"topic\":\"t\",\"dropped\":2,\"fromSeq\":2,\"toSeq\":3}\n\n",
            "retry: 50\nid: c1\nevent: fanout.connected\ndata: {\"node\":\"a\",\"topics\":[\"t\"],\"resumed\":true}\n\n" +
            "id: c2\nevent: message\ndata: 2\n\n");
        using var client = stub.Client();
        await using var reading = new Reading(client, "t", "c0");

        Assert.Equal("c1", (await reading.NextAsync()).Id);
        var lagged = await reading.NextAsync();
        Assert.Equal(FanoutEventKind.Lagged, lagged.Kind);
        Assert.Null(lagged.Id);
        Assert.Equal(2, lagged.Lagged!.Dropped);
        Assert.Equal("c2", (await reading.NextAsync()).Id);
        Assert.Equal(["c0", "c1"], stub.LastEventIds.Take(2));
    }

    [Fact]
    public async Task A_refusal_a_retry_cannot_mend_ends_the_enumeration_with_the_problem()
    {
        var stub = new CannedStreams();
        using var client = stub.Client();
        await using var reading = new Reading(client, "t");
        var problem = await Assert.ThrowsAsync<FanoutProblemException>(() => reading.NextAsync());
        Assert.Equal(HttpStatusCode.Forbidden, problem.Status);
        Assert.Equal("No.", problem.Title);
        Assert.Single(stub.LastEventIds);
    }

    /// <summary>Answers the n-th stream request with the n-th body, then 403 problems.</summary>
    private sealed class CannedStreams(params string[] bodies) : HttpMessageHandler
    {
        private int _served;

        public ConcurrentQueue<string?> LastEventIds { get; } = new();

        public FanoutClient Client() =>
            new(() => new HttpClient(this, disposeHandler: false), new FanoutClientOptions { BaseAddress = new Uri("http://127.0.0.1:6899/") });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastEventIds.Enqueue(request.Headers.TryGetValues("Last-Event-ID", out var ids) ? ids.Single() : null);
            var n = Interlocked.Increment(ref _served) - 1;
            if (n >= bodies.Length)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""{"title":"No.","status":403}""", Encoding.UTF8, "application/problem+json"),
                });
            }

            var content = new StringContent(bodies[n], Encoding.UTF8);
            content.Headers.ContentType = new("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
