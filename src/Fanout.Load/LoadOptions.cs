namespace Fanout.Load;

/// <summary>
/// Everything one load run does, already resolved from the command line (presets applied,
/// <c>{base}</c> substituted). URL and body templates may name <c>{channel}</c>,
/// <c>{seq}</c> and, in the body, <c>{payload}</c>.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>Publish URL template, e.g. <c>http://127.0.0.1:8280/topics/{channel}/events</c>.</summary>
    public required string PublishUrl { get; init; }

    /// <summary>Publish body template; <c>{payload}</c> is the P-byte payload carrying seq and send time.</summary>
    public required string PublishBody { get; init; }

    public string PublishContentType { get; init; } = "application/json";

    /// <summary>Subscribe URL templates; subscribers are spread over them round-robin (one per node in a cluster).</summary>
    public required IReadOnlyList<string> SubscribeUrls { get; init; }

    /// <summary>A plain GET sent on each subscriber's connection before subscribing (see the nchan notes on Nagle).</summary>
    public string? WarmupUrl { get; init; }

    /// <summary>SSE event type that says a subscription is live; null: the response headers say so.</summary>
    public string? ReadyEvent { get; init; }

    /// <summary>Read the server's seq from SSE ids shaped <c>epoch-seq</c> (Fanout) to check order and lagged ranges.</summary>
    public bool SeqFromEventId { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> with every publish (a Mercure publisher's JWS); null: none.</summary>
    public string? PublishToken { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> by every subscriber and the resume check; null: none.</summary>
    public string? SubscribeToken { get; init; }

    public string Channel { get; init; } = "load";

    /// <summary>
    /// Topics the events are spread over (<see cref="Publishing.TopicSpread"/>). With more
    /// than one, subscribers must see every topic (a subscribe URL without <c>{channel}</c>,
    /// e.g. Mercure's <c>*</c>), so each expects every event.
    /// </summary>
    public int Topics { get; init; } = 1;

    /// <summary>After publishing, this many of the topics (first to last, evenly) are resumed from <see cref="CheckCursor"/> and must return exactly their events.</summary>
    public int CheckTopics { get; init; }

    /// <summary>The cursor the resume check sends as <c>Last-Event-ID</c>; Fanout's <c>0-0</c> is "from the start".</summary>
    public string CheckCursor { get; init; } = "0-0";

    /// <summary>
    /// Events 1..this many were published to the topics before (e.g. by an earlier run, before
    /// a restart); null: the ones this run sent. Lets a run with no events check recovery.
    /// </summary>
    public long? CheckPublished { get; init; }

    /// <summary>How long one checked topic may take to return its events.</summary>
    public double CheckSeconds { get; init; } = 10;

    /// <summary>Topics resumed at once by the check.</summary>
    public int CheckConcurrency { get; init; } = 16;

    public int Subscribers { get; init; } = 10;

    /// <summary>How many of <see cref="Subscribers"/> are slow: stalled, or reading at <see cref="SlowRate"/>.</summary>
    public int Slow { get; init; }

    /// <summary>Events per second a slow subscriber reads; 0 stalls it (it stops reading once connected).</summary>
    public double SlowRate { get; init; }

    /// <summary>Socket receive buffer of slow subscribers in bytes; 0 keeps the OS default (which autotunes to MiBs).</summary>
    public int SlowReceiveBuffer { get; init; }

    public int Events { get; init; } = 1000;

    public int PayloadBytes { get; init; } = 512;

    /// <summary>Publishes per second; 0 publishes as fast as <see cref="InFlight"/> allows.</summary>
    public double Rate { get; init; }

    public int InFlight { get; init; } = 16;

    /// <summary>Events per publish request: more than 1 posts JSON arrays to the batch endpoint (one topic only).</summary>
    public int Batch { get; init; } = 1;

    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>Idle subscribers are held this long after connecting, before publishing (RSS per connection).</summary>
    public double HoldSeconds { get; init; }

    /// <summary>
    /// With a hold: every subscriber that reads during it (all but the stalled ones) must hear
    /// a comment (<c>: keepalive</c>) and never be silent longer than this many seconds, from
    /// its connect to the end of the hold; 0 checks nothing.
    /// </summary>
    public double HeartbeatWithinSeconds { get; init; }

    /// <summary>Publishing stops after this long even if not every event went out.</summary>
    public double PublishSeconds { get; init; } = 60;

    /// <summary>After publishing, how long subscribers may go without progress before the tool stops waiting.</summary>
    public double DrainIdleSeconds { get; init; } = 5;

    /// <summary>Hard bound on the whole run.</summary>
    public double MaxSeconds { get; init; } = 120;

    /// <summary>Server processes to sample (each with its descendants, e.g. nginx workers).</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    public int SampleMilliseconds { get; init; } = 100;

    /// <summary>A progress line on stderr every this many seconds; 0 for none.</summary>
    public double ProgressSeconds { get; init; } = 1;

    public int Fast => Subscribers - Slow;

    public bool Stalled => Slow > 0 && SlowRate <= 0;
}
