using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Fanout.Diagnostics;
using Fanout.Hosting;
using Fanout.Sse;

namespace Fanout.Topics;

/// <summary>
/// The single writer of one topic: numbers its events, encodes each frame once, keeps the
/// replay window and hands every event to pub-sub, which carries it to each node with
/// subscribers. When its shard moves gracefully it passes its state on through the
/// <see cref="TopicHandoffStore"/>s, so the next incarnation keeps epoch, seqs and history;
/// an incarnation that starts without such a snapshot (first use, passivation, crash)
/// draws a new epoch, and cursors of an older one are reset.
/// </summary>
public sealed class TopicActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>Largest snapshot page sent to another node (stays under the remoting frame size).</summary>
    public const int SnapshotPageBytes = 256 * 1024;

    private readonly string _topic;
    private readonly TopicOptions _options;
    private readonly IActorRef _mediator;
    private readonly IActorRef? _handoff;
    private readonly FanoutMetrics _metrics;
    private readonly Dictionary<string, AcceptedEvent> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(long Seq, string Key)> _keyOrder = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TopicHistory _history;
    private string _epoch = string.Empty;
    private long _lastSeq;

    public TopicActor(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics metrics, IActorRef? handoff)
    {
        _topic = topic;
        _options = options;
        _mediator = mediator;
        _handoff = handoff;
        _metrics = metrics;
        _history = new TopicHistory(options.HistoryEvents, options.HistoryBytes);

        Receive<TopicSnapshot>(Adopt);
        Receive<NoTopicSnapshot>(_ => StartFresh());
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="metrics">Where accepted events are counted (once in the cluster: a topic lives on one node); null: <see cref="FanoutMetrics.Default"/>.</param>
    /// <param name="handoff">This node's hand-off store; null: the topic never adopts a snapshot.</param>
    public static Props Props(
        string topic, TopicOptions options, IActorRef mediator, FanoutMetrics? metrics = null, IActorRef? handoff = null)
    {
        var counted = metrics ?? FanoutMetrics.Default;
        return Akka.Actor.Props.Create(() => new TopicActor(topic, options, mediator, counted, handoff));
    }

    /// <summary>The pub-sub channel that carries a topic's events to the nodes.</summary>
    public static string Channel(string topic) => "fanout/" + topic;

    protected override void PreStart()
    {
        if (_handoff is null)
        {
            StartFresh();
            return;
        }

        _handoff.Tell(new ClaimTopicSnapshot(_topic));

        // The store answers within its own claim wait; this only guards against a store
        // that is gone, so the topic never stays stashing.
        Timers.StartSingleTimer("claim", new NoTopicSnapshot(_topic), ClaimTimeout);
    }

    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(10);

    private void StartFresh()
    {
        _epoch = Cursor.NewEpoch();
        _log.Debug("Topic {0} started with epoch {1}", _topic, _epoch);
        BecomeActive();
    }

    private void Adopt(TopicSnapshot snapshot)
    {
        _epoch = snapshot.Epoch;
        _lastSeq = snapshot.LastSeq;
        _history = new TopicHistory(_options.HistoryEvents, _options.HistoryBytes);
        foreach (var evt in snapshot.Events)
        {
            _history.Append(evt);
        }

        foreach (var remembered in snapshot.Keys)
        {
            RememberKey(remembered.Key, remembered.Accepted);
        }

        // Other nodes got the same snapshot: it is stale from now on.
        foreach (var store in OtherStores())
        {
            store.Tell(new DiscardTopicSnapshot(_topic, _epoch));
        }

        _log.Info("Topic {0} moved here: epoch {1}, last seq {2}, {3} events of history", _topic, _epoch, _lastSeq, _history.Count);
        BecomeActive();
    }

    private void BecomeActive()
    {
        Timers.Cancel("claim");
        Become(Active);
        Stash.UnstashAll();
        if (_options.IdleMinutes > 0)
        {
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(_options.IdleMinutes));
        }
    }

    private void Active()
    {
        Receive<PublishEvents>(Handle);
        Receive<ReadHistory>(Handle);
        Receive<GetTopicState>(_ => Sender.Tell(State()));
        Receive<TopicHandOff>(_ => HandOff());
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
        Receive<NoTopicSnapshot>(_ => { });
    }

    private void Handle(PublishEvents publish)
    {
        var accepted = new AcceptedEvent[publish.Events.Count];
        var fresh = 0;
        for (var i = 0; i < accepted.Length; i++)
        {
            var draft = publish.Events[i];
            if (draft.Key is not null && _keys.TryGetValue(draft.Key, out var earlier))
            {
                accepted[i] = earlier with { Duplicate = true };
                continue;
            }

            var seq = ++_lastSeq;
            fresh++;
            var evt = new TopicEvent(
                _topic,
                _epoch,
                seq,
                SseEncoder.IdLine(new TopicPosition(_epoch, seq).ToString()),
                SseEncoder.EventBody(draft.Type, draft.Data));
            _history.Append(evt);
            accepted[i] = new AcceptedEvent(seq, $"{_epoch}-{seq}", false);
            RememberKey(draft.Key, accepted[i]);
            _mediator.Tell(new Publish(Channel(_topic), evt));
        }

        if (fresh > 0)
        {
            _metrics.Published(_topic, fresh);
        }

        Sender.Tell(new EventsAccepted(_topic, _epoch, accepted));
    }

    /// <summary>
    /// Idempotency keys are remembered as long as their event is in the history: a
    /// publisher that retries after a lost answer gets the first seq back.
    /// </summary>
    private void RememberKey(string? key, AcceptedEvent accepted)
    {
        if (key is not null)
        {
            _keys[key] = accepted;
            _keyOrder.Enqueue((accepted.Seq, key));
        }

        var oldest = _history.FirstSeq ?? _lastSeq + 1;
        while (_keyOrder.Count > 0 && _keyOrder.Peek().Seq < oldest)
        {
            _keys.Remove(_keyOrder.Dequeue().Key);
        }
    }

    private void Handle(ReadHistory read)
    {
        var upTo = Math.Min(read.UpToSeq, _lastSeq);
        var events = _history.Read(read.AfterSeq, upTo, Math.Max(1, read.MaxBytes));
        Sender.Tell(new HistorySlice(_topic, _epoch, FirstAvailableSeq, _lastSeq, events));
    }

    /// <summary>Sends the state, in pages, to every other node's store, then stops.</summary>
    private void HandOff()
    {
        var stores = OtherStores().ToList();
        var keys = _keys.Select(k => new RememberedKey(k.Key, k.Value)).ToList();
        var page = new List<TopicEvent>();
        long pageBytes = 0;
        foreach (var evt in _history.Events)
        {
            if (page.Count > 0 && pageBytes + evt.SizeInBytes > SnapshotPageBytes)
            {
                Send(stores, new TopicSnapshotPage(_topic, _epoch, _lastSeq, false, page, Array.Empty<RememberedKey>()));
                page = new List<TopicEvent>();
                pageBytes = 0;
            }

            page.Add(evt);
            pageBytes += evt.SizeInBytes;
        }

        Send(stores, new TopicSnapshotPage(_topic, _epoch, _lastSeq, true, page, keys));
        _log.Info("Topic {0} handed off to {1} nodes at seq {2}", _topic, stores.Count, _lastSeq);
        Context.Stop(Self);
    }

    private static void Send(List<ActorSelection> stores, TopicSnapshotPage page)
    {
        foreach (var store in stores)
        {
            store.Tell(page);
        }
    }

    private IEnumerable<ActorSelection> OtherStores()
    {
        if (_handoff is null)
        {
            return Array.Empty<ActorSelection>();
        }

        var cluster = Cluster.Get(Context.System);
        return cluster.State.Members
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp && m.Address != cluster.SelfAddress)
            .Select(m => Context.ActorSelection(new RootActorPath(m.Address) / "user" / TopicHandoffStore.Name));
    }

    private long FirstAvailableSeq => _history.FirstSeq ?? _lastSeq + 1;

    private TopicState State() =>
        new(_topic, _epoch, _lastSeq, FirstAvailableSeq, _history.Count, _history.Bytes);
}
