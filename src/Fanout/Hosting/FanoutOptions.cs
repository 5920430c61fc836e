namespace Fanout.Hosting;

/// <summary>Service settings, bound from the <c>Fanout</c> section of .NET configuration.</summary>
public sealed class FanoutOptions
{
    public const string Section = "Fanout";

    public SubscriberOptions Subscriber { get; set; } = new();

    public TopicOptions Topic { get; set; } = new();

    public PublisherOptions Publisher { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public StoreOptions Store { get; set; } = new();

    /// <summary>One readable line per setting that cannot work, naming its full key; empty when all can.</summary>
    public IEnumerable<string> Validate() =>
        Subscriber.Validate().Concat(Topic.Validate()).Concat(Publisher.Validate()).Concat(Metrics.Validate()).Concat(Store.Validate());
}

public sealed class SubscriberOptions
{
    /// <summary>Drop-head mailbox bound in events.</summary>
    public int MaxEvents { get; set; } = 1024;

    /// <summary>Drop-head mailbox bound in bytes of encoded frames.</summary>
    public long MaxBytes { get; set; } = 2 * 1024 * 1024;

    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>The <c>retry:</c> a client is told to wait before reconnecting.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    /// <summary>A write that makes no progress for this long closes the connection.</summary>
    public int WriteTimeoutSeconds { get; set; } = 30;

    /// <summary>Frames the stream between the subscriber actor and the socket may hold.</summary>
    public int StreamBufferFrames { get; set; } = 16;

    /// <summary>How long a new subscription may take to attach to its topics.</summary>
    public int AttachTimeoutSeconds { get; set; } = 10;

    /// <summary>Upper bound of one replay page, in bytes of frames.</summary>
    public int ReplayPageBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// A subscriber whose mailbox drops events is named in a warning at most once per this
    /// many seconds (the first drop always warns).
    /// </summary>
    public int SlowWarningSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        const string at = FanoutOptions.Section + ":Subscriber:";
        if (MaxEvents < 1)
        {
            yield return at + "MaxEvents must be at least 1.";
        }

        if (MaxBytes < 1)
        {
            yield return at + "MaxBytes must be at least 1.";
        }

        if (HeartbeatSeconds < 0)
        {
            yield return at + "HeartbeatSeconds may not be negative (0 turns heartbeats off).";
        }

        if (RetryMilliseconds < 0)
        {
            yield return at + "RetryMilliseconds may not be negative.";
        }

        if (WriteTimeoutSeconds < 1)
        {
            yield return at + "WriteTimeoutSeconds must be at least 1.";
        }

        if (StreamBufferFrames < 1)
        {
            yield return at + "StreamBufferFrames must be at least 1.";
        }

        if (AttachTimeoutSeconds < 1)
        {
            yield return at + "AttachTimeoutSeconds must be at least 1.";
        }

        if (ReplayPageBytes < 1)
        {
            yield return at + "ReplayPageBytes must be at least 1.";
        }

        if (SlowWarningSeconds < 0)
        {
            yield return at + "SlowWarningSeconds may not be negative.";
        }
    }
}

public sealed class TopicOptions
{
    public int HistoryEvents { get; set; } = 10_000;

    public long HistoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Events older than this many seconds leave the history (and the journal); 0: no age
    /// bound, only <see cref="HistoryEvents"/> and <see cref="HistoryBytes"/>.
    /// </summary>
    public int HistoryMaxAgeSeconds { get; set; }

    /// <summary>
    /// A topic that got no message for this long is passivated. With a durable store its
    /// history stays in the journal; with the memory store it is dropped.
    /// </summary>
    public int IdleMinutes { get; set; } = 10;

    /// <summary>
    /// Live topic actors one node keeps; past this many, the least recently used one is
    /// passivated (with a durable store it costs nothing to bring back). 0: no bound.
    /// </summary>
    public int MaxActivePerNode { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        const string at = FanoutOptions.Section + ":Topic:";
        if (HistoryEvents < 0)
        {
            yield return at + "HistoryEvents may not be negative.";
        }

        if (HistoryBytes < 0)
        {
            yield return at + "HistoryBytes may not be negative.";
        }

        if (IdleMinutes < 0)
        {
            yield return at + "IdleMinutes may not be negative (0 keeps idle topics).";
        }

        if (HistoryMaxAgeSeconds < 0)
        {
            yield return at + "HistoryMaxAgeSeconds may not be negative (0: no age bound).";
        }

        if (MaxActivePerNode < 0)
        {
            yield return at + "MaxActivePerNode may not be negative (0: no bound).";
        }
    }
}

public sealed class PublisherOptions
{
    /// <summary>
    /// How often a node checks each of its topics for events it did not receive (pub-sub
    /// delivers at most once). Newly subscribed topics are checked faster, see
    /// <see cref="NewTopicSyncMilliseconds"/>.
    /// </summary>
    public int SyncSeconds { get; set; } = 30;

    public int NewTopicSyncMilliseconds { get; set; } = 500;

    /// <summary>How long after subscribing a topic counts as new (pub-sub gossip settles).</summary>
    public int NewTopicSeconds { get; set; } = 10;

    /// <summary>Events a node holds while it fetches a gap from history.</summary>
    public int MaxHeldEvents { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        const string at = FanoutOptions.Section + ":Publisher:";
        var values = new (string Name, int Value)[]
        {
            (nameof(SyncSeconds), SyncSeconds),
            (nameof(NewTopicSyncMilliseconds), NewTopicSyncMilliseconds),
            (nameof(NewTopicSeconds), NewTopicSeconds),
            (nameof(MaxHeldEvents), MaxHeldEvents),
        };
        return values.Where(v => v.Value < 0).Select(v => $"{at}{v.Name} may not be negative.");
    }
}

public sealed class MetricsOptions
{
    /// <summary>
    /// Distinct topic names a node uses as the <c>topic</c> tag of its counters. The first
    /// this many topics it records keep their name; any later topic is counted under
    /// <c>_other</c>, so a service with unbounded topic names cannot grow unbounded series.
    /// </summary>
    public int MaxTopicTags { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (MaxTopicTags < 0)
        {
            yield return FanoutOptions.Section + ":Metrics:MaxTopicTags may not be negative (0 counts every topic as _other).";
        }
    }
}
