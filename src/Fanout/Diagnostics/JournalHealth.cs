namespace Fanout.Diagnostics;

/// <summary>
/// Whether this node's journal answers, as <see cref="JournalProbe"/> last found it. Read by
/// the edge (readiness) from any thread; written by the probe only. A node whose journal
/// does not answer cannot accept a publish (a <c>202</c> means the journal stored it), so it
/// should not take traffic: publishes there would only wait and fail with <c>503</c>.
/// </summary>
public sealed class JournalHealth
{
    /// <summary>Probes in a row that must fail before the journal counts as unreachable: one slow answer is not an outage.</summary>
    public const int FailuresBeforeUnreachable = 2;

    private volatile JournalStatus _status = JournalStatus.NotProbed;

    /// <summary>The latest finding.</summary>
    public JournalStatus Status => _status;

    /// <summary>False until the first probe answered, and after <see cref="FailuresBeforeUnreachable"/> failures in a row.</summary>
    public bool IsReachable => _status.IsReachable;

    public void Succeeded(DateTimeOffset at) => _status = _status.After(ok: true, error: null, at);

    public void Failed(string error, DateTimeOffset at) => _status = _status.After(ok: false, error, at);
}

/// <param name="IsReachable">The journal answered the latest probe, or fewer than <see cref="JournalHealth.FailuresBeforeUnreachable"/> probes failed since it last did.</param>
/// <param name="LastAnsweredAt">When a probe was last answered; null: never.</param>
/// <param name="ConsecutiveFailures">Probes failed since the last answer.</param>
/// <param name="LastError">Why the latest failed probe failed; null once one is answered again.</param>
public sealed record JournalStatus(bool IsReachable, DateTimeOffset? LastAnsweredAt, int ConsecutiveFailures, string? LastError)
{
    public static readonly JournalStatus NotProbed = new(false, null, 0, "not probed yet");

    /// <summary>The status after one more probe.</summary>
    public JournalStatus After(bool ok, string? error, DateTimeOffset at)
    {
        if (ok)
        {
            return new JournalStatus(true, at, 0, null);
        }

        var failures = ConsecutiveFailures + 1;
        var reachable = LastAnsweredAt is not null && failures < JournalHealth.FailuresBeforeUnreachable;
        return new JournalStatus(reachable, LastAnsweredAt, failures, error);
    }
}
