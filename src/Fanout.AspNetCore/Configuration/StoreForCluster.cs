using Fanout.Hosting;

namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// An SQLite file belongs to one node: a topic that moves to another node would not find
/// its events there and would start over. A cluster needs a shared store.
/// </summary>
public static class StoreForCluster
{
    public static IEnumerable<string> Validate(StoreOptions store, NodeOptions node)
    {
        if (store.Validate().Any() || store.ParsedKind != StoreKind.Sqlite || !NamesOtherNodes(node))
        {
            yield break;
        }

        yield return "Fanout:Store:Kind=sqlite keeps history in this node's own file, so it serves a single node only: a cluster (Fanout:Cluster:SeedNodes or Fanout:Cluster:Discovery name other nodes) needs Fanout:Store:Kind=postgresql with one Fanout:Store:ConnectionString for every node (or memory, which keeps no history across restarts).";
    }

    /// <summary>Whether this node is configured to be one of several.</summary>
    private static bool NamesOtherNodes(NodeOptions node)
    {
        var discovery = node.Cluster.Discovery;
        if (discovery.Method == DiscoverySettings.Kubernetes)
        {
            return true;
        }

        if (discovery.Method == DiscoverySettings.Config)
        {
            return discovery.Endpoints.Length > 1;
        }

        var self = $"akka.tcp://{FanoutNodeDefaults.ActorSystemName}@{node.Remoting.EffectivePublicHost}:{node.Remoting.Port}";
        return node.Cluster.SeedNodes.Any(seed => !string.Equals(seed.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase));
    }
}
