using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Fanout.Benchmarks;

/// <summary>
/// The default config (console log, summary columns, markdown export) with few, short
/// iterations and allocation counts: the machine is two cores shared with other work, so
/// these figures compare variants within a run rather than claim absolutes.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.JoinSummary);
    }
}
