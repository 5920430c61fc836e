namespace Fanout.Cluster.Tests;

/// <summary>Three nodes on loopback: A founds the cluster, B and C join through A.</summary>
public class ThreeNodeCluster : IAsyncLifetime
{
    private readonly string[] _settings;

    public ThreeNodeCluster()
        : this([])
    {
    }

    /// <param name="settings">Command-line style settings every node gets.</param>
    protected ThreeNodeCluster(string[] settings) => _settings = settings;

    public TestNode A { get; private set; } = null!;

    public TestNode B { get; private set; } = null!;

    public TestNode C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await TestNode.StartAsync(null, _settings);
        B = await TestNode.StartAsync(A, _settings);
        C = await TestNode.StartAsync(A, _settings);
        await Eventually.HoldsAsync(
            () => Task.FromResult(Akka.Cluster.Cluster.Get(A.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 3),
            TimeSpan.FromSeconds(30),
            "three Up members");

        // Shards are only allocated to regions the coordinator knows: wait for all three.
        var region = Akka.Cluster.Sharding.ClusterSharding.Get(A.System).ShardRegion(Fanout.Hosting.TopicRegion.TypeName);
        await Eventually.HoldsAsync(
            async () => (await Akka.Actor.Futures.Ask<Akka.Cluster.Sharding.ClusterShardingStats>(
                region,
                new Akka.Cluster.Sharding.GetClusterShardingStats(TimeSpan.FromSeconds(3)),
                TimeSpan.FromSeconds(5))).Regions.Count == 3,
            TimeSpan.FromSeconds(30),
            "three shard regions registered");
    }

    /// <summary>A topic name whose actor lives on <paramref name="host"/> (bounded search).</summary>
    public async Task<string> TopicHostedOnAsync(TestNode host, string prefix)
    {
        for (var i = 0; i < 60; i++)
        {
            var topic = $"{prefix}-{i}-{Guid.NewGuid():N}";
            await A.Http.PublishAsync(topic, 0);
            if (await host.HostsTopicAsync(topic))
            {
                return topic;
            }
        }

        throw new InvalidOperationException($"No topic of 60 landed on {host.Address}.");
    }

    /// <summary>A topic name whose actor does not live on <paramref name="avoid"/>.</summary>
    public async Task<string> TopicNotHostedOnAsync(TestNode avoid, string prefix)
    {
        for (var i = 0; i < 60; i++)
        {
            var topic = $"{prefix}-{i}-{Guid.NewGuid():N}";
            await A.Http.PublishAsync(topic, 0);
            if (!await avoid.HostsTopicAsync(topic))
            {
                return topic;
            }
        }

        throw new InvalidOperationException($"Every topic of 60 landed on {avoid.Address}.");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { C, B, A })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}

/// <summary>The shared cluster of <see cref="FanOutAcrossNodesSpec"/>: events cross nodes through pub-sub only.</summary>
public sealed class PubSubOnlyCluster() : ThreeNodeCluster(PubSubOnly.Settings);

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<PubSubOnlyCluster>
{
    public const string Name = "three-node cluster";
}
