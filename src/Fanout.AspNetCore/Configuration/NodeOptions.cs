using Akka.Actor;
using Fanout.AspNetCore.Auth;

namespace Fanout.AspNetCore.Configuration;

/// <summary>Deployment settings of one node, bound from the <c>Fanout</c> configuration section.</summary>
public sealed class NodeOptions
{
    public RemotingSettings Remoting { get; set; } = new();

    public ClusterSettings Cluster { get; set; } = new();

    public ManagementSettings Management { get; set; } = new();

    public LimitSettings Limits { get; set; } = new();

    public AuthSettings Auth { get; set; } = new();

    public TransportSettings Transport { get; set; } = new();

    /// <summary>One readable line per setting that cannot work, naming its full key; empty when all can.</summary>
    public IEnumerable<string> Validate() =>
        Remoting.Validate()
            .Concat(Cluster.Validate(FanoutNodeDefaults.ActorSystemName))
            .Concat(Cluster.Discovery.UsesBootstrap ? Management.Validate() : [])
            .Concat(Limits.Validate())
            .Concat(Auth.Validate());
}

public sealed class TransportSettings
{
    /// <summary>
    /// Kestrel's <c>UnsafePreferInlineScheduling</c>: socket sends and request continuations
    /// run on the thread that made them ready instead of hopping through Kestrel's I/O queues.
    /// A fan-out node sends far more than it computes, so this saves a thread hop per flush
    /// (≈ 20 % of CPU per delivery in S1, docs/benchmarks.md). Nothing on the node blocks a
    /// thread, which is what makes the setting "unsafe" elsewhere; turn it off if you add
    /// middleware that does.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}

public sealed class RemotingSettings
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 4053;

    /// <summary>The host name other nodes use to reach this one; defaults to <see cref="Host"/>.</summary>
    public string? PublicHost { get; set; }

    public string EffectivePublicHost => string.IsNullOrEmpty(PublicHost) ? Host : PublicHost;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Fanout:Remoting:Host may not be empty.";
        }

        if (Port is < 0 or > 65535)
        {
            yield return "Fanout:Remoting:Port must be 0-65535.";
        }
    }
}

public sealed class ClusterSettings
{
    /// <summary>Seed node addresses, e.g. <c>akka.tcp://fanout@127.0.0.1:4053</c>. Empty (with method <c>seeds</c>): the node joins itself.</summary>
    public string[] SeedNodes { get; set; } = [];

    public string[] Roles { get; set; } = [];

    /// <summary>
    /// Akka's <c>min-nr-of-members</c>: the leader moves no member to Up before the cluster
    /// has this many. A node that founded a cluster of its own (it restarted while it could
    /// reach none of the others) then stays Joining, hosts no topic and answers <c>/readyz</c>
    /// 503, instead of serving a second cluster. Unset: a majority of the nodes this node is
    /// told about (see <see cref="EffectiveMinimumMembers"/>).
    /// </summary>
    public int? MinimumMembers { get; set; }

    public DiscoverySettings Discovery { get; set; } = new();

    /// <summary>A majority of the seed list, of the <c>config</c> endpoints, or of the contact points Kubernetes discovery waits for; 1 for a lone node.</summary>
    public int EffectiveMinimumMembers => MinimumMembers ?? Discovery.Method switch
    {
        DiscoverySettings.Config => Majority(Discovery.Endpoints.Length),
        DiscoverySettings.Kubernetes => Majority(Discovery.EffectiveRequiredContactPoints),
        _ => Majority(SeedNodes.Length),
    };

    public IEnumerable<string> Validate(string actorSystemName)
    {
        foreach (var seed in SeedNodes)
        {
            if (!Address.TryParse(seed, out var address) || address.System != actorSystemName)
            {
                yield return $"Fanout:Cluster:SeedNodes entry '{seed}' is not an address like akka.tcp://{actorSystemName}@host:port.";
            }
        }

        if (MinimumMembers is < 1)
        {
            yield return "Fanout:Cluster:MinimumMembers must be at least 1.";
        }

        if (Discovery.Method != DiscoverySettings.Seeds && SeedNodes.Length > 0)
        {
            yield return $"Fanout:Cluster:SeedNodes is only read with Fanout:Cluster:Discovery:Method=seeds (it is {Discovery.Method}): remove one of the two.";
        }

        foreach (var problem in Discovery.Validate())
        {
            yield return problem;
        }
    }

    private static int Majority(int nodes) => Math.Max(1, (nodes / 2) + 1);
}

public sealed class LimitSettings
{
    /// <summary>Largest accepted body of a single-event publish, in bytes.</summary>
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <summary>Largest accepted body of a batch publish, in bytes.</summary>
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    public int MaxBatchEvents { get; set; } = 1000;

    public int MaxTopicsPerSubscription { get; set; } = 32;

    /// <summary>Most topics <c>GET /topics</c> lists.</summary>
    public int MaxListedTopics { get; set; } = 1000;

    /// <summary>Live SSE streams one node serves; more are answered 503 with Retry-After.</summary>
    public int MaxSubscribersPerNode { get; set; } = 10_000;

    /// <summary>The Retry-After given to a subscriber turned away because the node is full.</summary>
    public int SubscriberRetryAfterSeconds { get; set; } = 5;

    /// <summary>Publish requests (single or batch) one token subject, or one client IP without a token, may make per window; 0 turns the limit off.</summary>
    public int PublishPermitLimit { get; set; } = 10_000;

    /// <summary>
    /// Publishes without a token from this host (127.0.0.0/8, ::1) are not throttled: that is
    /// the backend beside the node, which publishes for all its users. Turn it off when a
    /// reverse proxy on this host forwards outside clients.
    /// </summary>
    public bool UnlimitedLoopbackPublishers { get; set; } = true;

    /// <summary>Networks (CIDR, e.g. <c>10.1.0.0/16</c>) whose publishes without a token are not throttled: the backends'.</summary>
    public string[] UnlimitedPublisherNetworks { get; set; } = [];

    public int PublishWindowSeconds { get; set; } = 1;

    /// <summary>Time a client has to send all request headers (Kestrel RequestHeadersTimeout).</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>Slowest request body accepted after the grace period (Kestrel MinRequestBodyDataRate); 0 turns it off.</summary>
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    public int MinRequestBodyGraceSeconds { get; set; } = 5;

    /// <summary>How long an idle connection is kept open between requests (Kestrel KeepAliveTimeout).</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 130;

    /// <summary>
    /// Open files kept free of connections (Kestrel MaxConcurrentConnections = the process's
    /// open-file limit minus this): at the limit, the runtime cannot start a thread and the
    /// process dies ("Out of memory."), so connections beyond it are accepted and closed at
    /// once instead. 0 turns the bound off.
    /// </summary>
    public int FileDescriptorReserve { get; set; } = 1000;
    public IEnumerable<string> Validate()
    {
        const string at = "Fanout:Limits:";
        var positive = new (string Name, int Value)[]
        {
            (nameof(MaxEventBytes), MaxEventBytes),
            (nameof(MaxBatchBytes), MaxBatchBytes),
            (nameof(MaxBatchEvents), MaxBatchEvents),
            (nameof(MaxTopicsPerSubscription), MaxTopicsPerSubscription),
            (nameof(MaxListedTopics), MaxListedTopics),
            (nameof(MaxSubscribersPerNode), MaxSubscribersPerNode),
            (nameof(SubscriberRetryAfterSeconds), SubscriberRetryAfterSeconds),
            (nameof(PublishWindowSeconds), PublishWindowSeconds),
            (nameof(RequestHeadersTimeoutSeconds), RequestHeadersTimeoutSeconds),
            (nameof(KeepAliveTimeoutSeconds), KeepAliveTimeoutSeconds),
        };
        foreach (var (name, value) in positive.Where(p => p.Value < 1))
        {
            yield return $"{at}{name} must be at least 1.";
        }

        var notNegative = new (string Name, int Value, string Zero)[]
        {
            (nameof(PublishPermitLimit), PublishPermitLimit, " (0 turns the limit off)"),
            (nameof(MinRequestBodyBytesPerSecond), MinRequestBodyBytesPerSecond, " (0 turns the minimum off)"),
            (nameof(MinRequestBodyGraceSeconds), MinRequestBodyGraceSeconds, string.Empty),
            (nameof(FileDescriptorReserve), FileDescriptorReserve, " (0 turns the connection bound off)"),
        };
        foreach (var (name, value, zero) in notNegative.Where(p => p.Value < 0))
        {
            yield return $"{at}{name} may not be negative{zero}.";
        }

        for (var i = 0; i < UnlimitedPublisherNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(UnlimitedPublisherNetworks[i], out _))
            {
                yield return $"{at}UnlimitedPublisherNetworks:{i} '{UnlimitedPublisherNetworks[i]}' is not a network in CIDR notation (e.g. 10.1.0.0/16 or fd00::/8).";
            }
        }

        // Kestrel checks data rates on its one-second heartbeat; a shorter grace cannot work.
        if (MinRequestBodyBytesPerSecond > 0 && MinRequestBodyGraceSeconds is >= 0 and < 2)
        {
            yield return $"{at}MinRequestBodyGraceSeconds must be at least 2 while MinRequestBodyBytesPerSecond is on.";
        }
    }
}
