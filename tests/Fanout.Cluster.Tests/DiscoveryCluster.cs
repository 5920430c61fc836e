using Akka.Cluster;

namespace Fanout.Cluster.Tests;

/// <summary>
/// Nodes that form their cluster through Akka.Management cluster bootstrap with
/// <c>config</c> discovery on 127.0.0.1: every node lists every node's management endpoint.
/// Each node keeps its remoting and management ports across restarts, as a real one does.
/// </summary>
public sealed class DiscoveryCluster : IAsyncDisposable
{
    private readonly int[] _remotingPorts;
    private readonly int[] _managementPorts;
    private readonly string[] _extraSettings;
    private readonly TestNode?[] _nodes;

    private DiscoveryCluster(int size, string[] extraSettings)
    {
        var ports = LoopbackPorts.Take(size * 2);
        _remotingPorts = ports[..size];
        _managementPorts = ports[size..];
        _extraSettings = extraSettings;
        _nodes = new TestNode?[size];
    }

    public IReadOnlyList<TestNode> Nodes => _nodes.Select(n => n ?? throw new InvalidOperationException("A node is stopped.")).ToList();

    public TestNode this[int index] => _nodes[index] ?? throw new InvalidOperationException($"Node {index} is stopped.");

    /// <summary>Starts every node at once: the first cluster forms only once all endpoints answer.</summary>
    public static async Task<DiscoveryCluster> StartAsync(int size, params string[] extraSettings)
    {
        var cluster = new DiscoveryCluster(size, extraSettings);
        try
        {
            var started = await Task.WhenAll(Enumerable.Range(0, size).Select(i => TestNode.StartAsync(null, cluster.Settings(i))));
            started.CopyTo(cluster._nodes, 0);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops node <paramref name="index"/> as SIGTERM would and starts it again on the same ports.</summary>
    public async Task RestartAsync(int index)
    {
        var node = this[index];
        var leaving = node.Address;
        _nodes[index] = null;
        await node.DisposeAsync();
        await Eventually.HoldsAsync(
            () => Task.FromResult(_nodes.OfType<TestNode>().All(n =>
                Akka.Cluster.Cluster.Get(n.System).State.Members.All(m => m.Address != leaving))),
            TimeSpan.FromSeconds(30),
            $"node {index} removed from the others' view");
        _nodes[index] = await TestNode.StartAsync(null, Settings(index));
    }

    /// <summary>Every node sees the same members, all Up and reachable: every running node, and only those.</summary>
    public Task AwaitOneClusterAsync() => Eventually.HoldsAsync(
        () =>
        {
            var expected = Nodes.Select(n => n.Address).OrderBy(a => a.ToString()).ToList();
            return Task.FromResult(Nodes.All(n =>
            {
                var state = Akka.Cluster.Cluster.Get(n.System).State;
                return state.Unreachable.Count == 0
                       && state.Members.All(m => m.Status == MemberStatus.Up)
                       && state.Members.Select(m => m.Address).OrderBy(a => a.ToString()).SequenceEqual(expected);
            }));
        },
        TimeSpan.FromSeconds(30),
        $"one cluster of {_nodes.Length} Up members seen alike by every node");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Reverse())
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }

    private string[] Settings(int index) =>
    [
        $"--Fanout:Remoting:Port={_remotingPorts[index]}",
        $"--Fanout:Management:Port={_managementPorts[index]}",
        "--Fanout:Cluster:Discovery:Method=config",
        .. _managementPorts.Select((port, i) => $"--Fanout:Cluster:Discovery:Endpoints:{i}=127.0.0.1:{port}"),

        // Seconds instead of the defaults' tens: the decisions are the same, made sooner.
        "--Fanout:Cluster:Discovery:StableMarginMilliseconds=1000",
        "--Fanout:Cluster:Discovery:ProbeIntervalMilliseconds=500",
        .. _extraSettings,
    ];
}
