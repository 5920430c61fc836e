using System.Net;
using Akka.Cluster;

namespace Fanout.Cluster.Tests;

/// <summary>
/// A cluster formed by Akka.Management bootstrap with <c>config</c> discovery stays one
/// cluster whichever node restarts, the first included (issue 15).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFormationSpec
{
    [Fact]
    public async Task Three_nodes_form_one_cluster_by_config_discovery_and_each_restarts_into_it()
    {
        await using var cluster = await DiscoveryCluster.StartAsync(3, PubSubOnly.Settings);
        await cluster.AwaitOneClusterAsync();
        await AssertDeliveryAcrossAsync(cluster, subscriberNode: 0);

        for (var restarted = 0; restarted < 3; restarted++)
        {
            await cluster.RestartAsync(restarted);
            await cluster.AwaitOneClusterAsync();
            await AssertDeliveryAcrossAsync(cluster, subscriberNode: restarted);
        }
    }

    [Fact]
    public async Task A_first_seed_that_finds_no_other_seed_founds_no_serving_cluster()
    {
        // The documented seed list (every node lists all, itself first) on node 1 restarted
        // while nodes 2 and 3 cannot be reached: after the seed-node timeout it joins itself,
        // but below the majority of the list it stays Joining and is not ready.
        var ports = LoopbackPorts.Take(3);
        await using var lone = await TestNode.StartUnreadyAsync(
        [
            $"--Fanout:Remoting:Port={ports[0]}",
            .. ports.Select((port, i) => $"--Fanout:Cluster:SeedNodes:{i}=akka.tcp://fanout@127.0.0.1:{port}"),
        ]);
        await Eventually.HoldsAsync(
            () => Task.FromResult(Akka.Cluster.Cluster.Get(lone.System).SelfMember.Status == MemberStatus.Joining),
            TimeSpan.FromSeconds(30),
            "the lone first seed joined itself");

        using var ready = await lone.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"member\":\"Joining\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_that_reaches_no_majority_of_its_members_is_not_ready_until_the_resolver_decides()
    {
        // A (here) and B (a process, killed): A cannot reach one of its two members. Keep
        // majority keeps the side with the lowest address on a tie: A's port is the lower.
        var ports = LoopbackPorts.Take(2).Order().ToArray();
        await using var a = await TestNode.StartAsync(null, $"--Fanout:Remoting:Port={ports[0]}");
        await using var b = await NodeProcess.StartAsync($"--Fanout:Remoting:Port={ports[1]}", $"--Fanout:Cluster:SeedNodes:0={a.Address}");
        var cluster = Akka.Cluster.Cluster.Get(a.System);
        await Eventually.HoldsAsync(
            () => Task.FromResult(cluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 2),
            TimeSpan.FromSeconds(60),
            "B joined A");
        Assert.True((await a.Http.GetAsync("/readyz")).IsSuccessStatusCode);

        await b.KillAsync();
        await Eventually.HoldsAsync(
            async () => (await a.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30),
            "A not ready while B is unreachable");
        Assert.Single(cluster.State.Unreachable);

        await Eventually.HoldsAsync(
            async () => (await a.Http.GetAsync("/readyz")).IsSuccessStatusCode && cluster.State.Members.Count == 1,
            TimeSpan.FromSeconds(60),
            "A ready again once the resolver downed B");
    }

    /// <summary>Subscribers on <paramref name="subscriberNode"/> and the next node receive what the third publishes, through pub-sub.</summary>
    private static async Task AssertDeliveryAcrossAsync(DiscoveryCluster cluster, int subscriberNode)
    {
        var topic = $"formation-{subscriberNode}-{Guid.NewGuid():N}";
        var publisher = cluster[(subscriberNode + 2) % 3];
        await using var first = await SseStream.OpenAsync(cluster[subscriberNode].Http, $"/topics/{topic}/events");
        await using var second = await SseStream.OpenAsync(cluster[(subscriberNode + 1) % 3].Http, $"/topics/{topic}/events");
        Assert.Equal("fanout.connected", (await first.NextAsync()).EventType);
        Assert.Equal("fanout.connected", (await second.NextAsync()).EventType);
        await PubSubOnly.AwaitRouteAsync(publisher.Http, topic, first, second);
        for (var n = 1; n <= 10; n++)
        {
            await publisher.Http.PublishAsync(topic, n);
        }

        foreach (var stream in new[] { first, second })
        {
            for (var n = 1; n <= 10; n++)
            {
                var item = await stream.NextEventAsync();
                Assert.Equal("message", item.EventType);
                Assert.Equal(n, SseStream.DataNumber(item));
            }
        }
    }
}
