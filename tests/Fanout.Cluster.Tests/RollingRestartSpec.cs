using System.Net;
using System.Net.Http.Json;

namespace Fanout.Cluster.Tests;

/// <summary>A documented rolling restart (docs/operations.md) loses no accepted event for a resuming client.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RollingRestartSpec
{
    [Fact]
    public async Task Restarting_every_node_in_turn_loses_no_accepted_event_for_a_resuming_client()
    {
        var cluster = new ThreeNodeCluster();
        await cluster.InitializeAsync();
        var nodes = new List<TestNode> { cluster.A, cluster.B, cluster.C };
        var topic = "rolling-" + Guid.NewGuid().ToString("N");
        var published = 0L;
        var received = new List<long>();
        var client = nodes[0];
        var stream = await SseStream.OpenAsync(client.Http, $"/topics/{topic}/events");
        try
        {
            Assert.Equal("fanout.connected", (await stream.NextAsync()).EventType);
            for (var round = 0; round < 3; round++)
            {
                var victim = nodes[round];
                var survivor = nodes.First(n => n != victim);
                for (var i = 0; i < 5; i++)
                {
                    await PublishOnceAsync(survivor.Http, topic, ++published);
                }

                var stopping = victim.StopAsync();
                if (victim == client)
                {
                    // The client's node drains: read up to the shutdown frame, then resume elsewhere.
                    var (_, before) = await stream.NextOfTypeAsync("fanout.shutdown");
                    received.AddRange(Events(before));
                    var cursor = stream.LastEventId;
                    await stream.DisposeAsync();
                    client = survivor;
                    stream = await SseStream.OpenAsync(client.Http, $"/topics/{topic}/events", cursor);
                    Assert.Contains("\"resumed\":true", (await stream.NextAsync()).Data);
                }

                await stopping;
                await victim.DisposeAsync();
                nodes[round] = await TestNode.StartAsync(survivor);
                for (var i = 0; i < 5; i++)
                {
                    await PublishOnceAsync(nodes[round].Http, topic, ++published);
                }
            }

            while (received.Count < published)
            {
                var item = await stream.NextAsync(TimeSpan.FromSeconds(30));
                Assert.Equal("message", item.EventType);
                received.Add(SseStream.DataNumber(item));
            }

            Assert.Equal(Enumerable.Range(1, (int)published).Select(n => (long)n), received);
        }
        finally
        {
            await stream.DisposeAsync();
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static IEnumerable<long> Events(IEnumerable<System.Net.ServerSentEvents.SseItem<string>> items)
    {
        foreach (var item in items)
        {
            Assert.Equal("message", item.EventType);
            yield return SseStream.DataNumber(item);
        }
    }

    /// <summary>Publishes with an idempotency key and retries while a topic moves: at most once, at least once.</summary>
    private static async Task PublishOnceAsync(HttpClient http, string topic, long n)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var response = await http.PostAsync(
                $"/topics/{topic}/events",
                JsonContent.Create(new { data = n, key = $"event-{n}" }));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"publish {n} not accepted: {(int)response.StatusCode}");
        }

        throw new InvalidOperationException($"publish {n} not accepted after 30 attempts");
    }
}
