using Fanout.Load.Reporting;
using Fanout.Load.Stats;
using Fanout.Load.Subscribers;

namespace Fanout.Load.Checks;

/// <summary>
/// At the end of the hold: did every subscriber that read during it hear a keepalive
/// comment, and was none silent longer than <see cref="LoadOptions.HeartbeatWithinSeconds"/>?
/// A server that sends a comment to each idle stream every N seconds passes a bound of N
/// plus the scheduling slack of this machine; one that sends none, or late, fails.
/// </summary>
public static class HeartbeatCheck
{
    public static HeartbeatSummary Summarize(IReadOnlyList<SubscriberClient> subscribers, double boundSeconds, long endMicros)
    {
        var bound = (long)(boundSeconds * 1_000_000);
        var silences = new LatencyHistogram();
        int checkedCount = 0, onTime = 0, withHeartbeat = 0, late = 0;
        long comments = 0, longest = 0;
        foreach (var subscriber in subscribers)
        {
            // A subscriber that never went live has no stream to hear; the connect counts already fail the run.
            if (subscriber.Role == SubscriberRole.Stalled || !subscriber.IsReady || subscriber.Silence is not { } meter)
            {
                continue;
            }

            checkedCount++;
            var heard = meter.Comments;
            var silence = meter.SilenceUntil(endMicros);
            silences.Record(silence);
            comments += heard;
            longest = Math.Max(longest, silence);
            withHeartbeat += heard > 0 ? 1 : 0;
            late += silence > bound ? 1 : 0;
            onTime += heard > 0 && silence <= bound ? 1 : 0;
        }

        return new HeartbeatSummary(
            boundSeconds,
            checkedCount,
            onTime,
            withHeartbeat,
            checkedCount - withHeartbeat,
            late,
            comments,
            Math.Round(longest / 1_000_000.0, 3),
            silences.Summarize());
    }
}
