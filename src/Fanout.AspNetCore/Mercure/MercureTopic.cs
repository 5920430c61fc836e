namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// Where Mercure updates live in Fanout's core: every update is one event of one reserved
/// topic, so they share one sequence, one durable history and the cluster's sharding,
/// and any node can take a publish, a subscription or a resume. The name is outside
/// Fanout's topic grammar (no '$' there), so <c>/topics</c> can never address it; the core
/// itself does not check names.
/// </summary>
public static class MercureTopic
{
    public const string Name = "$mercure";

    /// <summary>The type of the reserved topic's events (the Mercure <c>type</c> travels inside the data).</summary>
    public const string EventType = "mercure.update";

    /// <summary>The <c>Last-Event-ID</c> value that asks for all retained history.</summary>
    public const string Earliest = "earliest";
}
