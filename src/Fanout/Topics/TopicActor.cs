using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Fanout.Diagnostics;
using Fanout.Hosting;

namespace Fanout.Topics;

/// <summary>
/// The single writer of one topic, event-sourced: it numbers a publish, writes its events
/// to the journal (one topic's concurrent publishes travel together: writes are
/// asynchronous and the journal batches what is pending), and only once the journal
/// confirmed them answers the publisher and hands the events to pub-sub. A failed or
/// rejected write answers <see cref="PublishNotStored"/>; nothing of it is delivered. A new
/// incarnation (after a move, a crash, passivation or a restart) recovers epoch, seqs,
/// idempotency keys and history from the journal, whose rows past retention are deleted,
/// so recovery reads at most the retained events. The state itself is a plain
/// <see cref="TopicLog"/>; this actor decides only when to call it.
/// </summary>
public sealed class TopicActor : ReceivePersistentActor, IWithTimers
{
    private readonly string _topic;
    private readonly TopicOptions _options;
    private readonly IActorRef _mediator;
    private readonly FanoutMetrics _metrics;
    private readonly ActiveTopics _active;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TopicLog _state;

    // Publishers whose events are being written, oldest first: a failed write answers them all.
    private readonly Queue<IActorRef> _writing = new();
    private readonly long _deleteChunk;
    private long _deletedUpTo = -1;
    private bool _deleting;
    private bool _passivating;

    public TopicActor(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics metrics, ActiveTopics active)
    {
        _topic = topic;
        _options = options;
        _mediator = mediator;
        _metrics = metrics;
        _active = active;
        _state = new TopicLog(topic, options);

        // Rows leave the journal in chunks, not one delete per publish; recovery reads at
        // most this many rows beyond the history.
        _deleteChunk = Math.Clamp(options.HistoryEvents / 10, 1, 1000);

        Recover<TopicEventRecord>(record =>
        {
            if (_deletedUpTo < 0)
            {
                _deletedUpTo = record.Seq - 1;
            }

            _state.Apply(record);
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<PublishEvents>(Handle);
        Command<ReadHistory>(read =>
        {
            Sender.Tell(_state.Read(read));
            TouchOrPassivateIfEmpty();
        });
        Command<GetTopicState>(_ =>
        {
            Sender.Tell(_state.State());
            TouchOrPassivateIfEmpty();
        });
        Command<LocateKey>(locate =>
        {
            Sender.Tell(_state.Locate(locate.Key));
            TouchOrPassivateIfEmpty();
        });
        Command<ExpireHistory>(_ =>
        {
            _state.Expire(Now());
            TrimJournal(1);
        });
        Command<DeleteMessagesSuccess>(deleted =>
        {
            _deleting = false;
            _deletedUpTo = deleted.ToSequenceNr;
        });
        Command<DeleteMessagesFailure>(failed =>
        {
            _deleting = false;
            _log.Warning("Topic {0}: journal rows up to seq {1} could not be deleted: {2}", _topic, failed.ToSequenceNr, failed.Cause.Message);
        });
        Command<ReceiveTimeout>(_ => Passivate());
        Command<PassivateTopic>(_ => Passivate());

        // Both a move and a passivation stop once the writes under way are answered: the
        // next incarnation reads everything from the journal.
        Command<StopTopic>(_ => StopAfterWrites());
        Command<TopicHandOff>(_ => StopAfterWrites());
    }

    public override string PersistenceId => PersistenceIdOf(_topic);

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The journal's persistence id of a topic.</summary>
    public static string PersistenceIdOf(string topic) => "topic:" + topic;

    /// <summary>How often a topic with an age bound drops what grew too old.</summary>
    public static TimeSpan ExpiryInterval(TopicOptions options) =>
        TimeSpan.FromSeconds(Math.Clamp(options.HistoryMaxAgeSeconds / 4.0, 1, 60));

    /// <param name="metrics">Where accepted events are counted; null: <see cref="FanoutMetrics.Default"/>.</param>
    /// <param name="active">This node's live-topic bound; null: none.</param>
    public static Props Props(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics? metrics = null, ActiveTopics? active = null)
    {
        var counted = metrics ?? FanoutMetrics.Default;
        var bound = active ?? ActiveTopics.Unbounded;
        return Akka.Actor.Props.Create(() => new TopicActor(topic, options, mediator, counted, bound));
    }

    protected override void PostStop()
    {
        _active.Remove(_topic, Self);
        base.PostStop();
    }

    private void OnRecovered()
    {
        _deletedUpTo = Math.Max(_deletedUpTo, 0);
        _state.Expire(Now());
        TrimJournal(_deleteChunk);
        if (!_state.IsEmpty)
        {
            _log.Debug("Topic {0} recovered: epoch {1}, last seq {2}, {3} events of history", _topic, _state.Epoch, _state.LastSeq, _state.History.Count);
        }

        if (_options.IdleMinutes > 0)
        {
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(_options.IdleMinutes));
        }

        if (_options.HistoryMaxAgeSeconds > 0)
        {
            Timers.StartPeriodicTimer("expire", ExpireHistory.Instance, ExpiryInterval(_options));
        }
    }

    private void Handle(PublishEvents publish)
    {
        _active.Touch(_topic, Self);
        var decision = _state.Decide(publish.Events, Now());
        var publisher = Sender;
        if (decision.Fresh.Count == 0)
        {
            // Every event is a duplicate: answer once the writes before it are confirmed,
            // so the first acceptance is durable before anyone hears of it.
            DeferAsync(decision, d => publisher.Tell(new EventsAccepted(_topic, _state.Epoch, d.Answers)));
            return;
        }

        _writing.Enqueue(publisher);
        var lastSeq = decision.Fresh[^1].Seq;
        PersistAllAsync(decision.Fresh, record =>
        {
            _mediator.Tell(new Publish(Publishing.TopicChannels.Of(_topic), _state.Apply(record)));
            if (record.Seq != lastSeq)
            {
                return;
            }

            _writing.Dequeue();
            _metrics.Published(_topic, decision.Fresh.Count);
            publisher.Tell(new EventsAccepted(_topic, _state.Epoch, decision.Answers));
            TrimJournal(_deleteChunk);
        });
    }

    /// <summary>Deletes the journal rows retention let go, once at least <paramref name="minRows"/> of them are due.</summary>
    private void TrimJournal(long minRows)
    {
        var upTo = _state.DeletableUpToSeq;
        if (!_deleting && upTo - _deletedUpTo >= minRows && upTo > 0)
        {
            _deleting = true;
            DeleteMessages(upTo);
        }
    }

    /// <summary>The journal did not store a write: everyone waiting hears so, and the topic restarts from the journal.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        FailWaiting("The journal failed to store the events.");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // A rejected write leaves the numbering ahead of the journal: answer everyone
        // waiting and restart, so the next incarnation numbers from what was stored.
        FailWaiting("The journal rejected the events.");
        _log.Error(cause, "Topic {0}: the journal rejected seq {1}; the topic restarts from the journal", _topic, sequenceNr);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Error(reason, "Topic {0} could not be read from the journal", _topic);
        base.OnRecoveryFailure(reason, message);
    }

    private void FailWaiting(string reason)
    {
        while (_writing.TryDequeue(out var publisher))
        {
            publisher.Tell(new PublishNotStored(_topic, reason));
        }
    }

    /// <summary>
    /// A read makes a topic recently used, so it counts against the node's live-topic bound;
    /// a topic that never had an event keeps nothing worth a live actor: reads create no state.
    /// </summary>
    private void TouchOrPassivateIfEmpty()
    {
        if (_state.IsEmpty)
        {
            Passivate();
        }
        else
        {
            _active.Touch(_topic, Self);
        }
    }

    private void Passivate()
    {
        if (!_passivating)
        {
            _passivating = true;
            Context.Parent.Tell(new Passivate(StopTopic.Instance));
        }
    }

    private void StopAfterWrites() => DeferAsync(StopTopic.Instance, _ => Context.Stop(Self));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
