using HdrHistogram;

namespace Fanout.Load.Stats;

/// <summary>
/// Latencies in microseconds, recorded from many threads (HdrHistogram's wait-free
/// <see cref="Recorder"/>) and read, at any time, as percentiles in milliseconds.
/// </summary>
public sealed class LatencyHistogram
{
    private const long HighestMicros = 10L * 60 * 1_000_000;
    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1)
        .WithValuesUpTo(HighestMicros)
        .WithPrecisionOf(3)
        .WithThreadSafeWrites()
        .WithThreadSafeReads()
        .Create();

    private readonly HistogramBase _total = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1)
        .WithValuesUpTo(HighestMicros)
        .WithPrecisionOf(3)
        .Create();

    private readonly object _readGate = new();
    private HistogramBase? _interval;

    public void Record(long micros) => _recorder.RecordValue(Math.Clamp(micros, 1, HighestMicros));

    public LatencySummary Summarize()
    {
        lock (_readGate)
        {
            _interval = _interval is null ? _recorder.GetIntervalHistogram() : _recorder.GetIntervalHistogram(_interval);
            _total.Add(_interval);
            return _total.TotalCount == 0
                ? new LatencySummary(0, 0, 0, 0, 0)
                : new LatencySummary(
                    _total.TotalCount,
                    Millis(_total.GetValueAtPercentile(50)),
                    Millis(_total.GetValueAtPercentile(99)),
                    Millis(_total.GetValueAtPercentile(99.9)),
                    Millis(_total.GetMaxValue()));
        }
    }

    private static double Millis(long micros) => Math.Round(micros / 1000.0, 3);
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P99, double P999, double Max);
