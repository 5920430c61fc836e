using Akka.Actor;
using Akka.Cluster;
using Fanout.AspNetCore.Lifecycle;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Liveness, and readiness: this node is an Up cluster member, not leaving, and on the
/// majority's side: it reaches more than half of the members it knows.
/// </summary>
public static class HealthEndpoints
{
    public static IResult Live() => Results.Json(new { status = "ok" });

    public static IResult Ready(ActorSystem system, NodeDrain drain)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfMember;
        var state = cluster.State;

        // A node that founded a cluster of its own stays Joining below the cluster's
        // minimum size (Fanout:Cluster:MinimumMembers); one cut off from most members is
        // about to be downed by the split-brain resolver: neither should take clients.
        var members = state.Members.Count(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Joining);
        var unreachable = state.Unreachable.Count;
        var inMajority = (members - unreachable) * 2 > members;
        return self.Status == MemberStatus.Up && inMajority && !drain.IsDraining
            ? Results.Json(new { status = "ready", member = self.Status.ToString(), members, unreachable })
            : Results.Json(
                new { status = "not-ready", member = self.Status.ToString(), members, unreachable, draining = drain.IsDraining },
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
