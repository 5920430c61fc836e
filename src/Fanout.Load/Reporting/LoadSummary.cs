using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Load.Stats;

namespace Fanout.Load.Reporting;

/// <summary>The one-line JSON result of a run. Field names are what scripts and docs/benchmarks.md read.</summary>
public sealed record LoadSummary(
    string Channel,
    SubscriberCounts Subscribers,
    PublishSummary Publish,
    FastSummary Fast,
    SlowSummary Slow,
    ServerSummary? Server,
    ToolSummary Tool,
    double DurationSeconds,
    bool TimedOut,
    ResumeCheckSummary? ResumeCheck = null,
    HeartbeatSummary? Heartbeats = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Whether the run itself worked: every subscriber connected, every publish succeeded, the
    /// deadline was not hit, and the checks asked for (resume, heartbeats) passed. The exit code.
    /// </summary>
    [JsonIgnore]
    public bool Passed =>
        Subscribers.Failed == 0 && Publish.Failed == 0 && !TimedOut
        && (ResumeCheck is null || ResumeCheck.Complete == ResumeCheck.Topics)
        && (Heartbeats is null || Heartbeats.Passed);

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);
}

/// <param name="ConnectSeconds">From the first connect to the last subscriber live (or failed).</param>
public sealed record SubscriberCounts(int Total, int Fast, int Slow, string SlowMode, int Ready, int Failed, string? FirstFailure, double ConnectSeconds = 0);

public sealed record PublishSummary(
    long Events,
    int PayloadBytes,
    long Sent,
    long Succeeded,
    long Failed,
    string? FirstFailure,
    double Seconds,
    double PerSecond,
    bool TimedOut,
    LatencySummary ResponseMs,
    int Topics = 1);

/// <summary>Subscribers that read as fast as they can.</summary>
public sealed record FastSummary(
    long Delivered,
    long Expected,
    double DeliveryRatio,
    double DeliveredPerSecond,
    int Complete,
    long Duplicates,
    long OrderViolations,
    long SilentGaps,
    long LaggedSeqs,
    int EndedEarly,
    LatencySummary LatencyMs);

/// <summary>Stalled or paced subscribers, after they resumed and read what the server kept for them.</summary>
public sealed record SlowSummary(
    int Count,
    long ReceivedTotal,
    long ReceivedMin,
    long ReceivedMax,
    long Missed,
    long LaggedRanges,
    long LaggedSeqs,
    long SilentGaps,
    long OrderViolations,
    int CoveredExactly,
    int EndedEarly);

/// <summary>The server's process tree: memory in MiB, CPU in seconds over the publish-and-deliver window.</summary>
public sealed record ServerSummary(
    IReadOnlyList<int> Pids,
    double RssStartMiB,
    double RssConnectedMiB,
    double RssPeakMiB,
    double RssEndMiB,
    double RssGrowthMiB,
    double RssPerSubscriberKiB,
    double CpuSeconds,
    double CpuSecondsPerMillionDeliveries);

/// <summary>This tool's own cost, beside every figure: it shares the cores with the server.</summary>
public sealed record ToolSummary(double CpuSeconds, double CpuSecondsTotal, double PeakRssMiB);

/// <summary>
/// The resume check after publishing: how many sampled topics returned exactly their events
/// from the cursor, and what went wrong with the others. Times run from the request to the
/// topic's first and last expected event.
/// </summary>
public sealed record ResumeCheckSummary(
    int Topics,
    string Cursor,
    int Complete,
    int Resets,
    long Missing,
    long Unexpected,
    long LaggedSeqs,
    int TimedOut,
    LatencySummary FirstEventMs,
    LatencySummary CompleteMs,
    string? FirstProblem);

/// <summary>
/// Keepalives over the hold (<c>--heartbeat-within</c>), for the subscribers that read during
/// it. A subscriber's silence is the longest time it heard nothing: from its connect to the
/// first bytes, between two arrivals, or from the last one to the end of the hold.
/// <see cref="OnTime"/> heard at least one comment and was never silent longer than the bound.
/// </summary>
public sealed record HeartbeatSummary(
    double BoundSeconds,
    int Subscribers,
    int OnTime,
    int WithHeartbeat,
    int NoHeartbeat,
    int Late,
    long Comments,
    double MaxSilenceSeconds,
    LatencySummary SilenceMs)
{
    public bool Passed => OnTime == Subscribers;
}
