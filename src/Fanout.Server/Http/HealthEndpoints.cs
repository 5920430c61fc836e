using Akka.Actor;
using Akka.Cluster;

namespace Fanout.Server.Http;

/// <summary>Liveness, and readiness: this node is an Up cluster member.</summary>
public static class HealthEndpoints
{
    public static IResult Live() => Results.Json(new { status = "ok" });

    public static IResult Ready(ActorSystem system)
    {
        var self = Cluster.Get(system).SelfMember;
        return self.Status == MemberStatus.Up
            ? Results.Json(new { status = "ready", member = self.Status.ToString() })
            : Results.Json(new { status = "not-ready", member = self.Status.ToString() }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
