using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace Fanout.Diagnostics;

/// <summary>
/// Asks the journal, every <see cref="JournalProbeSettings.Interval"/>, for the highest seq
/// of a persistence id no topic uses: a real query on the store (through the journal's
/// circuit breaker, so an open breaker counts as a failure), but no rows read. A probe not
/// answered within <see cref="JournalProbeSettings.Timeout"/>, or answered with a failure,
/// is a failed one; the result goes to <see cref="JournalHealth"/>. One probe at a time, so
/// a journal that hangs is not asked again and again.
/// </summary>
public sealed class JournalProbe : ReceiveActor, IWithTimers
{
    /// <summary>The persistence id probed: no topic's (those are <c>topic:</c>…), so nothing is ever stored under it.</summary>
    public const string PersistenceId = "fanout-journal-probe";

    private readonly IActorRef _journal;
    private readonly JournalHealth _health;
    private readonly JournalProbeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _attempt;
    private bool _waiting;

    public JournalProbe(IActorRef journal, JournalHealth health, JournalProbeSettings settings)
    {
        _journal = journal;
        _health = health;
        _settings = settings;

        Receive<ProbeTick>(_ => Probe());
        Receive<RecoverySuccess>(_ => Answered());
        Receive<ReplayMessagesFailure>(failure => Fail(failure.Cause.GetBaseException().Message));
        Receive<ProbeTimedOut>(timedOut =>
        {
            if (_waiting && timedOut.Attempt == _attempt)
            {
                Fail($"no answer within {_settings.Timeout.TotalSeconds:0.#} s");
            }
        });

        // A probe's answer may come with replayed events in theory (never: nothing is written
        // under its id); nothing to do with them.
        Receive<ReplayedMessage>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef journal, JournalHealth health, JournalProbeSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new JournalProbe(journal, health, settings ?? new JournalProbeSettings()));

    protected override void PreStart()
    {
        Self.Tell(ProbeTick.Instance);
        Timers.StartPeriodicTimer("probe", ProbeTick.Instance, _settings.Interval);
    }

    private void Probe()
    {
        if (_waiting)
        {
            return;
        }

        _waiting = true;
        _attempt++;
        _journal.Tell(new ReplayMessages(0, 0, 0, PersistenceId, Self));
        Timers.StartSingleTimer("timeout", new ProbeTimedOut(_attempt), _settings.Timeout);
    }

    // An answer comes without the attempt it belongs to: one probe at a time, so at worst a
    // late answer to a timed-out probe is taken for the next one, and it still shows that
    // the journal answers.
    private void Answered()
    {
        if (!_waiting)
        {
            return;
        }

        _waiting = false;
        Timers.Cancel("timeout");
        var wasReachable = _health.IsReachable;
        _health.Succeeded(DateTimeOffset.UtcNow);
        if (!wasReachable)
        {
            _log.Info("The journal answers");
        }
    }

    private void Fail(string error)
    {
        if (!_waiting)
        {
            return;
        }

        _waiting = false;
        Timers.Cancel("timeout");
        var wasReachable = _health.IsReachable;
        _health.Failed(error, DateTimeOffset.UtcNow);
        if (wasReachable && !_health.IsReachable)
        {
            _log.Warning("The journal does not answer: {0}", error);
        }
    }

    private sealed record ProbeTick
    {
        public static readonly ProbeTick Instance = new();
    }

    private sealed record ProbeTimedOut(long Attempt);
}

/// <param name="Interval">Time between probes.</param>
/// <param name="Timeout">How long a probe waits for its answer.</param>
public sealed record JournalProbeSettings(TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>Every 2 s, 3 s each: with two failures in a row a journal outage shows within ≈ 5–8 s, before a publish's own 10 s timeout.</summary>
    public JournalProbeSettings()
        : this(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3))
    {
    }
}
