using Akka.Actor;
using Akka.Cluster;
using Fanout.Server.Lifecycle;

namespace Fanout.Server.Http;

/// <summary>Liveness, and readiness: this node is an Up cluster member and not leaving.</summary>
public static class HealthEndpoints
{
    public static IResult Live() => Results.Json(new { status = "ok" });

    public static IResult Ready(ActorSystem system, NodeDrain drain)
    {
        var self = Cluster.Get(system).SelfMember;
        return self.Status == MemberStatus.Up && !drain.IsDraining
            ? Results.Json(new { status = "ready", member = self.Status.ToString() })
            : Results.Json(new { status = "not-ready", member = self.Status.ToString(), draining = drain.IsDraining }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
