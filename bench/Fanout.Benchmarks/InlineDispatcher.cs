using Akka.Configuration;
using Akka.Dispatch;

namespace Fanout.Benchmarks;

/// <summary>
/// An experiment kept for <see cref="HandOverBenchmarks"/>: runs an actor's mailbox on the
/// thread that sent it a message instead of queueing the run on the thread pool. Tried as
/// <c>fanout.stream-dispatcher</c> (the subscription streams' interpreter actors, woken by
/// their subscriber actor) and taken out again: end to end it saved nothing measurable
/// (docs/benchmarks.md, "Per-delivery budget": S4-100 and Wide A/B), since the pool runs a
/// work item queued from a pool thread on that thread's local queue, mostly without a
/// switch. Only non-blocking code may run on it; a second sender while the mailbox runs
/// just enqueues (the mailbox's scheduled flag keeps runs one at a time).
/// </summary>
public sealed class InlineDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly InlineDispatcher _dispatcher;

    public InlineDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites) =>
        _dispatcher = new InlineDispatcher(this);

    public override MessageDispatcher Dispatcher() => _dispatcher;
}

/// <summary>See <see cref="InlineDispatcherConfigurator"/>.</summary>
public sealed class InlineDispatcher(MessageDispatcherConfigurator configurator) : MessageDispatcher(configurator)
{
    protected override void ExecuteTask(IRunnable run) => run.Run();

    protected override void Shutdown()
    {
        // No threads of its own to stop.
    }
}
