using System.Diagnostics;

namespace Fanout.Load;

/// <summary>
/// One monotonic clock in microseconds for send and receipt times. The tool both publishes
/// and receives, so latency never depends on wall-clock steps.
/// </summary>
public static class LoadClock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    public static long NowMicros => (long)((Stopwatch.GetTimestamp() - Origin) * (1_000_000.0 / Stopwatch.Frequency));
}
