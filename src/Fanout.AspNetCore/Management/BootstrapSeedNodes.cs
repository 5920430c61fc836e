using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Newtonsoft.Json;
using static Akka.Management.Cluster.Bootstrap.ContactPoint.HttpBootstrapJsonProtocol;

namespace Fanout.AspNetCore.Management;

/// <summary>
/// The answer of <c>GET /bootstrap/seed-nodes</c>, the one route cluster bootstrap asks
/// other nodes: this node's address and the members it can vouch for. Akka.Management's
/// own HTTP server cannot run here (it is built against Ceen.Httpd 0.9.9, of which only
/// 0.9.10 is served, whose <c>ListenAsync</c> changed its signature), so the node serves the
/// route itself, with the same JSON types and serializer the bootstrap client reads.
/// </summary>
public static class BootstrapSeedNodes
{
    public const string Path = "/bootstrap/seed-nodes";

    /// <summary>As many members as Akka.Management exposes by default.</summary>
    private const int MaxExposed = 5;

    public static string Json(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfMember;
        if (self.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed)
        {
            // Leaving: vouch for nobody, so a restarting node does not join through us.
            return JsonConvert.SerializeObject(new SeedNodes(self.Address, []));
        }

        var state = cluster.State;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m))
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Take(MaxExposed)
            .Select(m => new ClusterMember(m.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
            .ToImmutableList();
        return JsonConvert.SerializeObject(new SeedNodes(self.Address, members));
    }
}
