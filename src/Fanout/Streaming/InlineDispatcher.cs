using Akka.Configuration;
using Akka.Dispatch;

namespace Fanout.Streaming;

/// <summary>
/// Runs an actor's mailbox on the thread that sent it a message, instead of queueing the
/// run on a thread pool. For the subscription streams' interpreter actors only: all a
/// stream does per delivery is take the frames the subscriber actor just wrote and hand
/// them to Kestrel's pipe without blocking, so running it on the subscriber actor's
/// thread saves a thread hand-over (a work item and often a wake-up) per delivery. Only
/// code that never blocks may run here: a second sender while the mailbox runs just
/// enqueues (the mailbox's own scheduled flag keeps runs one at a time).
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
