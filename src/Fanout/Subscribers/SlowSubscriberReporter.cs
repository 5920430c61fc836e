using Akka.Event;
using Fanout.Diagnostics;
using Fanout.Mailbox;

namespace Fanout.Subscribers;

/// <summary>
/// Listens to one subscriber's mailbox drops: counts each in the metrics and names the
/// subscriber in a warning when it starts dropping, then at most once per interval while
/// it keeps dropping. Runs on the publishing thread, since the subscriber itself may be
/// stalled on its client, which is exactly when it drops.
/// </summary>
internal sealed class SlowSubscriberReporter : IDropListener
{
    private readonly SubscriberStatus _status;
    private readonly FanoutMetrics _metrics;
    private readonly ILoggingAdapter _log;
    private readonly long _intervalMillis;
    private long _nextWarningAt = long.MinValue;

    public SlowSubscriberReporter(SubscriberStatus status, FanoutMetrics metrics, ILoggingAdapter log, TimeSpan interval)
    {
        _status = status;
        _metrics = metrics;
        _log = log;
        _intervalMillis = Math.Max(0, (long)interval.TotalMilliseconds);
    }

    public void OnDropped(IDroppableMessage dropped, long totalDropped)
    {
        _metrics.Dropped(dropped.Topic);
        var now = Environment.TickCount64;
        var due = Interlocked.Read(ref _nextWarningAt);
        if (now < due || Interlocked.CompareExchange(ref _nextWarningAt, now + _intervalMillis, due) != due)
        {
            return;
        }

        var request = _status.Request;
        _log.Warning(
            "Slow subscriber {SubscriberId} from {RemoteAddress} ({UserAgent}) on topics {Topics} is dropping events: {Dropped} dropped so far",
            _status.Id,
            request.RemoteAddress ?? "unknown",
            string.IsNullOrEmpty(request.UserAgent) ? "no user agent" : request.UserAgent,
            string.Join(",", request.Topics),
            totalDropped);
    }
}
