using Akka.Cluster;

namespace Fanout.Cluster.Tests;

/// <summary>Nodes leaving well (graceful) and badly (downed): what their subscribers see (issue 3).</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLeavingSpec
{
    [Fact]
    public async Task A_leaving_node_sends_shutdown_and_its_subscribers_resume_elsewhere_without_loss()
    {
        var cluster = new ThreeNodeCluster();
        await cluster.InitializeAsync();
        try
        {
            // The topic itself lives on the leaving node: its state must move with it.
            var topic = await cluster.TopicHostedOnAsync(cluster.B, "leave");
            await using var onB = await SseStream.OpenAsync(cluster.B.Http, $"/topics/{topic}/events");
            await using var onC = await SseStream.OpenAsync(cluster.C.Http, $"/topics/{topic}/events");
            await onB.NextAsync();
            await onC.NextAsync();
            for (var n = 1; n <= 3; n++)
            {
                await cluster.A.Http.PublishAsync(topic, n);
                Assert.Equal(n, SseStream.DataNumber(await onB.NextAsync()));
            }

            var stopping = cluster.B.StopAsync();
            var (shutdown, before) = await onB.NextOfTypeAsync("fanout.shutdown");
            Assert.Empty(before);
            Assert.NotNull(shutdown.ReconnectionInterval);
            Assert.True(await onB.EndsAsync(TimeSpan.FromSeconds(20)), "the leaving node closes the stream");
            await stopping;

            // Published while the client is away.
            for (var n = 4; n <= 6; n++)
            {
                await cluster.C.Http.PublishAsync(topic, n);
            }

            await using var onA = await SseStream.OpenAsync(cluster.A.Http, $"/topics/{topic}/events", onB.LastEventId);
            Assert.Contains("\"resumed\":true", (await onA.NextAsync()).Data);
            await cluster.C.Http.PublishAsync(topic, 7);
            for (var n = 4; n <= 7; n++)
            {
                var item = await onA.NextAsync();
                Assert.Equal("message", item.EventType);
                Assert.Equal(n, SseStream.DataNumber(item));
            }

            // A subscriber on a staying node saw the topic move without a reset or a gap.
            for (var n = 1; n <= 7; n++)
            {
                var item = await onC.NextAsync();
                Assert.Equal("message", item.EventType);
                Assert.Equal(n, SseStream.DataNumber(item));
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Topics_of_a_downed_node_move_with_a_new_epoch_and_old_cursors_get_reset()
    {
        var cluster = new ThreeNodeCluster();
        await cluster.InitializeAsync();
        try
        {
            var topic = await cluster.TopicHostedOnAsync(cluster.C, "downed");
            await using var live = await SseStream.OpenAsync(cluster.A.Http, $"/topics/{topic}/events");
            await live.NextAsync();
            await cluster.B.Http.PublishAsync(topic, 1);
            Assert.Equal(1, SseStream.DataNumber(await live.NextAsync()));
            var oldCursor = live.LastEventId!;

            // C crashes: it is downed without leaving, its shards are reallocated.
            Akka.Cluster.Cluster.Get(cluster.A.System).Down(cluster.C.Address);
            await Eventually.HoldsAsync(
                () => Task.FromResult(Akka.Cluster.Cluster.Get(cluster.A.System).State.Members.All(m => m.Address != cluster.C.Address)),
                TimeSpan.FromSeconds(30),
                "C removed from A's view");

            // The topic restarts elsewhere on the next message, with a new epoch.
            await Eventually.HoldsAsync(
                async () =>
                {
                    var response = await cluster.B.Http.PostAsync(
                        $"/topics/{topic}/events",
                        System.Net.Http.Json.JsonContent.Create(new { data = 2 }));
                    return response.StatusCode == System.Net.HttpStatusCode.Accepted;
                },
                TimeSpan.FromSeconds(60),
                "publish accepted by the topic's new home");

            var (reset, _) = await live.NextOfTypeAsync("fanout.reset", TimeSpan.FromSeconds(40));
            Assert.Contains("\"reason\":\"epoch-changed\"", reset.Data);
            var next = await live.NextAsync();
            Assert.Equal(2, SseStream.DataNumber(next));

            await using var resumed = await SseStream.OpenAsync(cluster.B.Http, $"/topics/{topic}/events", oldCursor);
            var connected = await resumed.NextAsync();
            Assert.Contains("\"resumed\":false", connected.Data);
            var resumeReset = await resumed.NextAsync();
            Assert.Equal("fanout.reset", resumeReset.EventType);
            Assert.Contains("\"reason\":\"epoch-changed\"", resumeReset.Data);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
