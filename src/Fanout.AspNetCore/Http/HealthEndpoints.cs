using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Cluster;
using Fanout.AspNetCore.Lifecycle;
using Fanout.Diagnostics;
using Fanout.Hosting;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Liveness, and readiness: this node is an Up cluster member, not leaving, on the
/// majority's side (it reaches more than half of the members it knows), and — with a
/// durable store — its journal answers (a 202 means the journal stored the event, so a node
/// whose journal is gone could only make publishers wait for a 503).
/// </summary>
public static class HealthEndpoints
{
    // A node on the memory store has no journal to report: the field is left out, not null.
    private static readonly JsonSerializerOptions OmitNulls = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IResult Live() => Results.Json(new { status = "ok" });

    public static IResult Ready(ActorSystem system, NodeDrain drain, FanoutOptions options)
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
        var journal = options.Store.ParsedKind == StoreKind.Memory ? null : JournalHealthExtension.Get(system).Status;
        var journalBody = journal is null ? null : new { reachable = journal.IsReachable, lastAnsweredAt = journal.LastAnsweredAt, lastError = journal.LastError };
        return self.Status == MemberStatus.Up && inMajority && !drain.IsDraining && journal?.IsReachable != false
            ? Results.Json(new { status = "ready", member = self.Status.ToString(), members, unreachable, journal = journalBody }, OmitNulls)
            : Results.Json(
                new { status = "not-ready", member = self.Status.ToString(), members, unreachable, draining = drain.IsDraining, journal = journalBody },
                OmitNulls,
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
