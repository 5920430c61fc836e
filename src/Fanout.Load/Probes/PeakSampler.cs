namespace Fanout.Load.Probes;

/// <summary>Samples a process tree on a timer and keeps the highest resident memory seen.</summary>
public sealed class PeakSampler : IAsyncDisposable
{
    private readonly ProcessProbe _probe;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private long _peakKiB;
    private long _lastKiB;

    public PeakSampler(ProcessProbe probe, TimeSpan every)
    {
        _probe = probe;
        _timer = new PeriodicTimer(every);
        Observe(_probe.Sample());
        _loop = RunAsync();
    }

    public long PeakKiB => Interlocked.Read(ref _peakKiB);

    public long LastKiB => Interlocked.Read(ref _lastKiB);

    /// <summary>A sample now, which also counts toward the peak.</summary>
    public ProcessSample SampleNow()
    {
        var sample = _probe.Sample();
        Observe(sample);
        return sample;
    }

    private async Task RunAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            Observe(_probe.Sample());
        }
    }

    private void Observe(ProcessSample sample)
    {
        Interlocked.Exchange(ref _lastKiB, sample.RssKiB);
        long peak;
        do
        {
            peak = Interlocked.Read(ref _peakKiB);
        }
        while (sample.RssKiB > peak && Interlocked.CompareExchange(ref _peakKiB, sample.RssKiB, peak) != peak);
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _loop;
    }
}
