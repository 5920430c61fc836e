using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Fanout.Hosting;
using Fanout.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Cluster.Tests;

/// <summary>A real node in this process: Kestrel on 127.0.0.1, remoting on a free loopback port.</summary>
public sealed class TestNode : RunningNode
{
    private static readonly string[] CommonSettings =
    [
        "--Fanout:Shutdown:DrainSeconds=10",
        "--Logging:LogLevel:Default=Warning",
    ];

    private TestNode(WebApplication app, Uri url)
        : base(app, url, new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) })
    {
    }

    /// <summary>Starts a node; with no seed it joins itself and founds a cluster.</summary>
    public static async Task<TestNode> StartAsync(TestNode? seed = null, params string[] settings)
    {
        var args = seed is null ? settings : [$"--Fanout:Cluster:SeedNodes:0={seed.Address}", .. settings];
        var (app, url) = await LoopbackNode.StartAsync(CommonSettings.Concat(args));
        return new TestNode(app, url);
    }

    /// <summary>Starts a node and hands it back once it listens, without waiting for it to be ready.</summary>
    public static async Task<TestNode> StartUnreadyAsync(params string[] settings)
    {
        var (app, url) = await LoopbackNode.StartUnreadyAsync(CommonSettings.Concat(settings));
        return new TestNode(app, url);
    }

    /// <summary>The node whose shard region currently hosts <paramref name="topic"/>'s actor, if any.</summary>
    public async Task<bool> HostsTopicAsync(string topic)
    {
        var region = ClusterSharding.Get(System).ShardRegion(TopicRegion.TypeName);
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
        return state.Shards.Any(s => s.EntityIds.Contains(topic));
    }
}
