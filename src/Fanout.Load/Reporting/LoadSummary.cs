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
    ResumeCheckSummary? ResumeCheck = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);
}

public sealed record SubscriberCounts(int Total, int Fast, int Slow, string SlowMode, int Ready, int Failed, string? FirstFailure);

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
