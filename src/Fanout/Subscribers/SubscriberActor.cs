using Akka.Actor;
using Akka.Dispatch;
using System.Threading.Channels;
using Akka.Event;
using Fanout.Diagnostics;
using Fanout.Dialects;
using Fanout.Hosting;
using Fanout.Mailbox;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Streaming;
using Fanout.Topics;

namespace Fanout.Subscribers;

/// <summary>
/// One SSE connection. Runs on the drop-head mailbox and writes frames into the bounded
/// channel its stream reads from: while the channel has room a write succeeds at once (no
/// task, no allocation) and the actor goes on; when the client is slow the actor suspends
/// until there is room, so events wait in the bounded mailbox, which drops the oldest.
/// Every seq the client does not get is reported in stream order as <c>fanout.lagged</c>.
/// A request with a dialect (<see cref="IEventDialect"/>) gets that dialect's frames
/// instead: it may skip events, and a gap may end its stream rather than be reported.
/// </summary>
public sealed class SubscriberActor : ReceiveActor
{
    /// <summary>
    /// The mailbox depth histogram takes every this many events a subscriber takes (the
    /// first included): a distribution needs samples, not every event, and recording each
    /// one cost a few percent of the fan-out path's CPU (see docs/benchmarks.md).
    /// </summary>
    public const int DepthSampleEvery = 16;

    private readonly SubscriptionRequest _request;
    private readonly IEventDialect? _dialect;
    private readonly ChannelWriter<SseFrame> _writer;
    private readonly Task _streamTerminated;
    private readonly IActorRef _nodePublisher;
    private readonly IActorRef _topics;
    private readonly SubscriberOptions _options;
    private readonly string _node;
    private readonly SubscriberStatus _status;
    private readonly FanoutMetrics _metrics;
    private readonly CursorShape _shape;
    private readonly TopicPosition[] _positions;
    private readonly List<SseFrame> _outbox = new(4);
    private readonly DeliveryTally _tally;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly StreamKeepAlive _keepAlive;
    private readonly HeartbeatWheel? _heartbeats;
    private DropHeadMessageQueue? _mailbox;
    private DropLedger? _drops;
    private bool _closed;

    // A gap the dialect answers by ending the stream: what is staged goes out, then the end.
    private bool _ending;
    private int _eventsTaken;

    public SubscriberActor(
        SubscriptionRequest request,
        SubscriberStream stream,
        IActorRef nodePublisher,
        IActorRef topics,
        SubscriberOptions options,
        string node,
        SubscriberStatus status,
        FanoutMetrics metrics)
    {
        _request = request;
        _dialect = request.Dialect;
        _writer = stream.Frames;
        _streamTerminated = stream.Terminated;
        _nodePublisher = nodePublisher;
        _topics = topics;
        _options = options;
        _node = node;
        _status = status;
        _metrics = metrics;
        _shape = new CursorShape(request.Topics);
        _positions = new TopicPosition[_shape.Count];
        _tally = new DeliveryTally(_shape.Topics, metrics);
        _keepAlive = new StreamKeepAlive(_writer);
        _heartbeats = options.HeartbeatSeconds > 0
            ? HeartbeatWheelExtension.Get(Context.System, TimeSpan.FromSeconds(options.HeartbeatSeconds))
            : null;

        Receive<StartSubscription>(_ => ActorTaskScheduler.RunTask(AttachAsync));
        Receive<TopicEvent>(OnEvent);
        Receive<StreamClosed>(_ => OnStreamClosed());
        Receive<CloseSubscription>(OnClose);
    }

    /// <param name="status">What operators see of this subscriber; null: a status of its own (not closable from outside).</param>
    /// <param name="metrics">Where it counts deliveries and drops; null: <see cref="FanoutMetrics.Default"/>.</param>
    public static Props Props(
        SubscriptionRequest request,
        SubscriberStream stream,
        IActorRef nodePublisher,
        IActorRef topics,
        SubscriberOptions options,
        string node,
        SubscriberStatus? status = null,
        FanoutMetrics? metrics = null)
    {
        var known = status ?? new SubscriberStatus(SubscriberStatus.NewId(), node, request, DateTimeOffset.UtcNow, closer: null);
        var counted = metrics ?? FanoutMetrics.Default;
        return Akka.Actor.Props.Create(() => new SubscriberActor(request, stream, nodePublisher, topics, options, node, known, counted));
    }

    protected override void PreStart()
    {
        _mailbox = (Context as ActorCell)?.Mailbox?.MessageQueue as DropHeadMessageQueue;
        _drops = _mailbox?.Drops;
        _status.AttachMailbox(_mailbox);
        _drops?.Listen(new SlowSubscriberReporter(_status, _metrics, _log, TimeSpan.FromSeconds(_options.SlowWarningSeconds)));
        _metrics.SubscriberStarted();
        var self = Self;
        _streamTerminated.ContinueWith(
            _ => self.Tell(StreamClosed.Instance),
            TaskContinuationOptions.ExecuteSynchronously);
        self.Tell(StartSubscription.Instance);
    }

    protected override void PostStop()
    {
        _heartbeats?.Remove(_keepAlive);
        _tally.Flush();
        _metrics.SubscriberStopped();
        CompleteStream(null);
    }

    /// <summary>
    /// Registers with the node publisher, settles each topic's cursor, sends the connected
    /// frame and replays history up to where the live feed starts. The mailbox is suspended
    /// meanwhile, so live events wait in it (bounded, drop-head) and follow in order.
    /// </summary>
    private async Task AttachAsync()
    {
        try
        {
            var timeout = TimeSpan.FromSeconds(_options.AttachTimeoutSeconds);
            var subscribed = await _nodePublisher.Ask<TopicsSubscribed>(
                new SubscribeTopics(Self, _request.Topics, _status), timeout);

            var plan = ResumePlan.Settle(_shape, _request.Topics, _request.LastEventId, subscribed.Starts);
            foreach (var (slot, from, upTo) in plan.ToCheck)
            {
                plan.Check(slot, from, await ReadHistoryAsync(_shape.Topics[slot], from.Seq, upTo, timeout));
            }

            plan.Positions.CopyTo(_positions, 0);
            var connected = _dialect is null
                ? new SseFrame(
                    SseEncoder.IdLine(_shape.Format(_positions)),
                    SseEncoder.Connected(_options.RetryMilliseconds, _node, _request.Topics, plan.Resumed))
                : _dialect.Connected(new SubscriptionStart(_node, _request.Topics, plan.Resumed));
            if (connected is { } opening)
            {
                await OfferAsync(opening);
            }

            // Heartbeats come from the node's wheel, not a timer per subscriber; only once
            // the opening frame is out, so a comment never comes first.
            _heartbeats?.Add(_keepAlive);
            foreach (var (topic, reason) in plan.Resets)
            {
                if (ReportsResets)
                {
                    await OfferAsync(new SseFrame(SseEncoder.IdLine(_shape.Format(_positions)), SseEncoder.Reset(topic, reason)));
                }
            }

            foreach (var (slot, upTo, first) in plan.Replays)
            {
                await ReplayAsync(slot, upTo, first, timeout);
                if (_ending)
                {
                    break;
                }
            }

            _tally.Flush();
            if (_ending)
            {
                EndAtGap();
            }
        }
        catch (Exception ex) when (ex is AskTimeoutException or ChannelClosedException or InvalidOperationException)
        {
            _log.Warning("Subscriber for [{0}] could not attach: {1}", string.Join(",", _request.Topics), ex.Message);
            Fail(ex);
        }
    }

    private async Task ReplayAsync(int slot, long upTo, HistorySlice slice, TimeSpan timeout)
    {
        var topic = _shape.Topics[slot];
        while (true)
        {
            foreach (var evt in slice.Events)
            {
                await DeliverAsync(slot, evt);
                if (_ending)
                {
                    return;
                }
            }

            var at = _positions[slot].Seq;
            if (at >= upTo || slice.Events.Count == 0 || slice.Epoch != _positions[slot].Epoch)
            {
                break;
            }

            slice = await ReadHistoryAsync(topic, at, upTo, timeout);
        }

        if (_positions[slot].Seq < upTo && Gap(topic, _positions[slot].Seq + 1, upTo) is { } lagged)
        {
            // History moved on while we replayed: say what was skipped.
            await OfferAsync(lagged);
            _positions[slot] = _positions[slot] with { Seq = upTo };
        }
    }

    private async Task DeliverAsync(int slot, TopicEvent evt)
    {
        _outbox.Clear();
        Stage(slot, evt);
        foreach (var frame in _outbox)
        {
            await OfferAsync(frame);
        }
    }

    private Task<HistorySlice> ReadHistoryAsync(string topic, long after, long upTo, TimeSpan timeout) =>
        _topics.Ask<HistorySlice>(new ReadHistory(topic, after, upTo, _options.ReplayPageBytes), timeout);

    private void OnEvent(TopicEvent evt)
    {
        if (!_shape.TryGetSlot(evt.Topic, out var slot))
        {
            return;
        }

        var depth = _mailbox?.EventCount ?? 0;
        if (_eventsTaken++ % DepthSampleEvery == 0)
        {
            _metrics.MailboxDepth(depth);
        }

        _outbox.Clear();
        Stage(slot, evt);
        StageDrops();
        Flush();
        _tally.FlushIf(mailboxEmpty: depth == 0);
    }

    /// <summary>Puts the frames one event turns into on the outbox: reset or lagged first, then the event.</summary>
    private void Stage(int slot, TopicEvent evt)
    {
        if (_ending)
        {
            return;
        }

        var position = _positions[slot];
        if (evt.Epoch != position.Epoch && position.Epoch == TopicLog.EmptyEpoch)
        {
            // The topic had no event when this position was taken: its first epoch loses nothing.
            position = new TopicPosition(evt.Epoch, 0);
            _positions[slot] = position;
        }

        if (evt.Epoch != position.Epoch)
        {
            if (!Cursor.IsNewer(evt.Epoch, position.Epoch))
            {
                return;
            }

            position = new TopicPosition(evt.Epoch, evt.Seq - 1);
            _positions[slot] = position;
            if (ReportsResets)
            {
                _outbox.Add(new SseFrame(SseEncoder.IdLine(_shape.Format(_positions)), SseEncoder.Reset(evt.Topic, ResetReason.EpochChanged)));
            }
        }

        if (evt.Seq <= position.Seq)
        {
            return;
        }

        if (evt.Seq > position.Seq + 1)
        {
            if (Gap(evt.Topic, position.Seq + 1, evt.Seq - 1) is not { } lagged)
            {
                return;
            }

            _outbox.Add(lagged);
        }

        _positions[slot] = position with { Seq = evt.Seq };
        if (_dialect is null)
        {
            var head = _positions.Length == 1 ? evt.IdLine : SseEncoder.IdLine(_shape.Format(_positions));
            _outbox.Add(new SseFrame(head, evt.Body));
        }
        else if (_dialect.Frame(evt) is { } frame)
        {
            _outbox.Add(frame);
        }
        else
        {
            // Not for this subscriber: seen, not delivered.
            return;
        }

        _tally.Add(slot);
        _status.CountDelivered();
    }

    /// <summary>
    /// Reports runs the mailbox dropped that no later event has revealed yet, e.g. the last
    /// events of a quiet topic pushed out by a busy one. Runs already reported as a gap
    /// are behind the position and skipped.
    /// </summary>
    private void StageDrops()
    {
        if (_drops is not { HasRuns: true })
        {
            return;
        }

        foreach (var run in _drops.TakeAll())
        {
            if (!_shape.TryGetSlot(run.Topic, out var slot))
            {
                continue;
            }

            var position = _positions[slot];
            if (run.ToSeq <= position.Seq)
            {
                continue;
            }

            if (Gap(run.Topic, position.Seq + 1, run.ToSeq) is not { } lagged)
            {
                return;
            }

            _outbox.Add(lagged);
            _positions[slot] = position with { Seq = run.ToSeq };
        }
    }

    private bool ReportsResets => _dialect?.ReportsResets ?? true;

    /// <summary>
    /// What a run the client will not get turns into: a <c>fanout.lagged</c> frame, or (for
    /// a dialect that ends its stream at a gap) null, and the stream ends once what is
    /// staged before the gap is written.
    /// </summary>
    private SseFrame? Gap(string topic, long fromSeq, long toSeq)
    {
        if ((_dialect?.Gaps ?? GapPolicy.Report) == GapPolicy.Report)
        {
            return Lagged(topic, fromSeq, toSeq);
        }

        _ending = true;
        return null;
    }

    /// <summary>Ends the stream at a gap, after the events before it (see <see cref="GapPolicy.EndStream"/>).</summary>
    private void EndAtGap()
    {
        _log.Debug("Subscriber for [{0}] lost events: its stream ends so the client resumes from history", string.Join(",", _request.Topics));
        Fail(null);
    }

    /// <summary>A <c>fanout.lagged</c> frame for a run the client will not get, counted as sent.</summary>
    private SseFrame Lagged(string topic, long fromSeq, long toSeq)
    {
        _metrics.LaggedSent(topic);
        return SseFrame.Of(SseEncoder.Lagged(topic, fromSeq, toSeq));
    }

    /// <summary>
    /// Writes the outbox; suspends the mailbox only when the stream has no room. A stream
    /// that ends at a gap ends once the outbox is written.
    /// </summary>
    private void Flush()
    {
        for (var i = 0; i < _outbox.Count; i++)
        {
            if (_closed)
            {
                return;
            }

            if (_writer.TryWrite(_outbox[i]))
            {
                _keepAlive.Written();
                continue;
            }

            var rest = _outbox.Skip(i).ToArray();
            ActorTaskScheduler.RunTask(async () =>
            {
                foreach (var frame in rest)
                {
                    await OfferAsync(frame);
                }

                if (_ending)
                {
                    EndAtGap();
                }
            });
            return;
        }

        if (_ending)
        {
            EndAtGap();
        }
    }

    /// <summary>Writes one frame, waiting for room; a closed stream stops the subscriber.</summary>
    private async Task OfferAsync(SseFrame frame)
    {
        while (!_closed && !_writer.TryWrite(frame))
        {
            if (!await _writer.WaitToWriteAsync())
            {
                Fail(null);
                return;
            }
        }

        _keepAlive.Written();
    }

    private void OnStreamClosed()
    {
        _closed = true;
        Context.Stop(Self);
    }

    private void OnClose(CloseSubscription close)
    {
        ActorTaskScheduler.RunTask(async () =>
        {
            if (close.FinalFrame is not null)
            {
                try
                {
                    await OfferAsync(SseFrame.Of(close.FinalFrame)).WaitAsync(TimeSpan.FromSeconds(_options.WriteTimeoutSeconds));
                }
                catch (Exception ex) when (ex is TimeoutException or ChannelClosedException or InvalidOperationException)
                {
                    _log.Debug("Final frame not delivered: {0}", ex.Message);
                }
            }

            Fail(null);
        });
    }

    /// <summary>Ends the stream (failed when there is a cause) and stops the subscriber.</summary>
    private void Fail(Exception? cause)
    {
        CompleteStream(cause);
        Context.Stop(Self);
    }

    private void CompleteStream(Exception? cause)
    {
        if (!_closed)
        {
            _closed = true;
            _writer.TryComplete(cause);
        }
    }
}
