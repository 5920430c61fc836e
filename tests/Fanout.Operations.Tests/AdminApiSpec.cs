using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fanout.Operations.Tests;

/// <summary><c>GET /admin/subscribers</c> and <c>DELETE /admin/subscribers/{id}</c> (issue 6).</summary>
public sealed class AdminApiSpec
{
    [Fact]
    public async Task Subscribers_are_listed_slowest_first_most_dropped_then_oldest_last_write()
    {
        await using var node = await OpsNode.StartAsync(SlowClientScenario.NodeSettings);
        using var idleHttp = SlowClientScenario.Client(node, "idle-client/1.0");
        await using var idle = await SseStream.OpenAsync(idleHttp, $"/topics/quiet-{Guid.NewGuid():N}/events");
        await idle.NextAsync();
        await using var scenario = await SlowClientScenario.StartAsync(node, "admin-order");

        await scenario.PublishUntilTheStalledClientDropsAsync();

        var answer = await ListAsync(node.Http);
        Assert.Empty(answer.UnansweredMembers);
        Assert.Equal(
            [SlowClientScenario.StalledAgent, "idle-client/1.0", SlowClientScenario.ReaderAgent],
            answer.Subscribers.Select(s => s.UserAgent));

        var stalled = answer.Subscribers[0];
        Assert.True(stalled.Dropped > 0);
        Assert.Equal([scenario.Topic], stalled.Topics);
        Assert.Equal("127.0.0.1", stalled.RemoteAddress);
        Assert.Equal(node.Address.ToString(), stalled.Node);
        Assert.InRange(stalled.MailboxDepth, 0, SlowClientScenario.MailboxEvents);

        var reader = answer.Subscribers[2];
        Assert.Equal(0, reader.Dropped);
        Assert.Equal(scenario.Published, reader.Delivered);
        // The idle client's one write is its connected frame, flushed at once: it has a mark too.
        Assert.NotNull(answer.Subscribers[1].LastWriteAt);
        Assert.True(reader.LastWriteAt > answer.Subscribers[1].LastWriteAt, "the reader was written to after the idle client");
        Assert.True(reader.ConnectedAt <= reader.LastWriteAt);
    }

    [Fact]
    public async Task Closing_a_stalled_subscriber_ends_its_stream_and_leaves_the_others_alone()
    {
        var sink = new LogSink();
        await using var node = await OpsNode.StartAsync(SlowClientScenario.NodeSettings, builder => builder.Logging.AddProvider(sink));
        await using var scenario = await SlowClientScenario.StartAsync(node, "kick");
        await scenario.PublishUntilTheStalledClientDropsAsync(extraBatches: 0);
        var stalled = await scenario.SubscriberAsync(SlowClientScenario.StalledAgent);

        using var kicked = await node.Http.DeleteAsync($"/admin/subscribers/{stalled.Id}");
        Assert.Equal(HttpStatusCode.NoContent, kicked.StatusCode);
        Assert.True(await scenario.Stalled.EndsAsync(TimeSpan.FromSeconds(30)), "the kicked client's stream ends");

        await Eventually.HoldsAsync(
            async () => (await ListAsync(node.Http)).Subscribers.All(s => s.Id != stalled.Id)
                        && (await node.Hub.GetLocalSubscribersAsync()).Subscribers == 1,
            TimeSpan.FromSeconds(20),
            "the kicked subscriber's actor is gone");

        await node.Http.PublishAsync(scenario.Topic, 1);
        Assert.Equal(1, SseStream.DataNumber(await scenario.Reader.NextAsync()));

        using var again = await node.Http.DeleteAsync($"/admin/subscribers/{stalled.Id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        // A closed stream is an expected end, not a failed request.
        Assert.DoesNotContain(sink.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task The_admin_view_and_closing_span_the_cluster()
    {
        await using var first = await OpsNode.StartAsync();
        await using var second = await OpsNode.StartAsync(seed: first);
        await Eventually.HoldsAsync(
            () => Task.FromResult(Akka.Cluster.Cluster.Get(first.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2),
            TimeSpan.FromSeconds(30),
            "two Up members");

        using var http = SlowClientScenario.Client(second, "on-the-second-node/1.0");
        var topic = "spanning-" + Guid.NewGuid().ToString("N");
        await using var stream = await SseStream.OpenAsync(http, $"/topics/{topic}/events");
        await stream.NextAsync();
        await first.Http.PublishAsync(topic, 1);
        Assert.Equal(1, SseStream.DataNumber(await stream.NextAsync()));

        var listed = (await ListAsync(first.Http)).Subscribers.Single(s => s.UserAgent == "on-the-second-node/1.0");
        Assert.Equal(second.Address.ToString(), listed.Node);
        Assert.Equal(1, listed.Delivered);

        using var kicked = await first.Http.DeleteAsync($"/admin/subscribers/{listed.Id}");
        Assert.Equal(HttpStatusCode.NoContent, kicked.StatusCode);
        Assert.True(await stream.EndsAsync(TimeSpan.FromSeconds(20)), "the stream on the other node ends");
    }

    private static async Task<AdminSubscribersAnswer> ListAsync(HttpClient http)
    {
        var answer = await http.GetFromJsonAsync<AdminSubscribersAnswer>("/admin/subscribers", JsonSerializerOptions.Web);
        Assert.NotNull(answer);
        return answer;
    }
}
