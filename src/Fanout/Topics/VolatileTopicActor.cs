using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Fanout.Diagnostics;
using Fanout.Hosting;

namespace Fanout.Topics;

/// <summary>
/// A topic of the memory store (<c>Fanout:Store:Kind=memory</c>): its <see cref="TopicLog"/>
/// lives only in this actor. When its shard moves gracefully it passes its state on
/// through the <see cref="TopicHandoffStore"/>s, so the next incarnation keeps epoch, seqs
/// and history; an incarnation that starts without such a snapshot (first use,
/// passivation, crash) draws a new epoch, and cursors of an older one are reset.
/// </summary>
public sealed class VolatileTopicActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>Largest snapshot page sent to another node (stays under the remoting frame size).</summary>
    public const int SnapshotPageBytes = 256 * 1024;

    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(10);

    private readonly string _topic;
    private readonly TopicOptions _options;
    private readonly IActorRef _mediator;
    private readonly IActorRef? _handoff;
    private readonly FanoutMetrics _metrics;
    private readonly ActiveTopics _active;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TopicLog _state;
    private bool _passivating;
    private bool _passivatingEmpty;

    public VolatileTopicActor(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics metrics, IActorRef? handoff, ActiveTopics active)
    {
        _topic = topic;
        _options = options;
        _mediator = mediator;
        _handoff = handoff;
        _metrics = metrics;
        _active = active;
        _state = new TopicLog(topic, options);

        Receive<TopicSnapshot>(Adopt);
        Receive<NoTopicSnapshot>(_ => BecomeActive());
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="metrics">Where accepted events are counted (once in the cluster: a topic lives on one node); null: <see cref="FanoutMetrics.Default"/>.</param>
    /// <param name="handoff">This node's hand-off store; null: the topic never adopts a snapshot.</param>
    /// <param name="active">This node's live-topic bound; null: none.</param>
    public static Props Props(
        string topic, TopicOptions options, IActorRef mediator, FanoutMetrics? metrics = null, IActorRef? handoff = null, ActiveTopics? active = null)
    {
        var counted = metrics ?? FanoutMetrics.Default;
        var bound = active ?? ActiveTopics.Unbounded;
        return Akka.Actor.Props.Create(() => new VolatileTopicActor(topic, options, mediator, counted, handoff, bound));
    }

    protected override void PreStart()
    {
        if (_handoff is null)
        {
            BecomeActive();
            return;
        }

        _handoff.Tell(new ClaimTopicSnapshot(_topic));

        // The store answers within its own claim wait; this only guards against a store
        // that is gone, so the topic never stays stashing.
        Timers.StartSingleTimer("claim", new NoTopicSnapshot(_topic), ClaimTimeout);
    }

    protected override void PostStop() => _active.Remove(_topic, Self);

    private void Adopt(TopicSnapshot snapshot)
    {
        _state.Adopt(snapshot, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Other nodes got the same snapshot: it is stale from now on.
        foreach (var store in OtherStores())
        {
            store.Tell(new DiscardTopicSnapshot(_topic, _state.Epoch));
        }

        _log.Info("Topic {0} moved here: epoch {1}, last seq {2}, {3} events of history", _topic, _state.Epoch, _state.LastSeq, _state.History.Count);
        BecomeActive();
    }

    private void BecomeActive()
    {
        Timers.Cancel("claim");
        _log.Debug("Topic {0} active with epoch {1}", _topic, _state.Epoch);
        Become(Active);
        Stash.UnstashAll();
        if (_options.IdleMinutes > 0)
        {
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(_options.IdleMinutes));
        }

        if (_options.HistoryMaxAgeSeconds > 0)
        {
            Timers.StartPeriodicTimer("expire", ExpireHistory.Instance, TopicActor.ExpiryInterval(_options));
        }
    }

    private void Active()
    {
        Receive<PublishEvents>(Handle);
        Receive<ReadHistory>(read =>
        {
            Sender.Tell(_state.Read(read));
            TouchOrPassivateIfEmpty();
        });
        Receive<GetTopicState>(_ =>
        {
            Sender.Tell(_state.State());
            TouchOrPassivateIfEmpty();
        });
        Receive<LocateKey>(locate =>
        {
            Sender.Tell(_state.Locate(locate.Key));
            TouchOrPassivateIfEmpty();
        });
        Receive<ExpireHistory>(_ => _state.Expire(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Receive<TopicHandOff>(_ => HandOff(includeThisNode: false));
        Receive<ReceiveTimeout>(_ => Passivate());
        Receive<PassivateTopic>(_ => Passivate());
        Receive<StopTopic>(_ => Stop());
        Receive<NoTopicSnapshot>(_ => { });
    }

    private void Handle(PublishEvents publish)
    {
        _active.Touch(_topic, Self);
        var decision = _state.Decide(publish.Events, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var record in decision.Fresh)
        {
            _mediator.Tell(new Publish(Publishing.TopicChannels.Of(_topic), _state.Apply(record)));
        }

        if (decision.Fresh.Count > 0)
        {
            _metrics.Published(_topic, decision.Fresh.Count);
        }

        Sender.Tell(new EventsAccepted(_topic, _state.Epoch, decision.Answers));
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
            _passivatingEmpty = true;
        }
        else
        {
            _active.Touch(_topic, Self);
        }
    }

    /// <summary>
    /// A topic that passivated for being empty may have taken a publish before the shard
    /// stopped it: then it hands its state to its next incarnation (on this node or any
    /// other) like a moving topic, so those events keep their epoch. Idle and least
    /// recently used topics drop their history: that is the memory store's bargain.
    /// </summary>
    private void Stop()
    {
        if (_passivatingEmpty && !_state.IsEmpty)
        {
            HandOff(includeThisNode: true);
            return;
        }

        Context.Stop(Self);
    }

    private void Passivate()
    {
        if (!_passivating)
        {
            _passivating = true;
            Context.Parent.Tell(new Passivate(StopTopic.Instance));
        }
    }

    /// <summary>Sends the state, in pages, to every other node's store, then stops.</summary>
    private void HandOff(bool includeThisNode)
    {
        var stores = OtherStores().ToList();
        if (includeThisNode && _handoff is not null)
        {
            stores.Add(Context.ActorSelection(_handoff.Path));
        }

        var page = new List<TopicEvent>();
        long pageBytes = 0;
        foreach (var evt in _state.History.Events)
        {
            if (page.Count > 0 && pageBytes + evt.SizeInBytes > SnapshotPageBytes)
            {
                Send(stores, new TopicSnapshotPage(_topic, _state.Epoch, _state.LastSeq, false, page, Array.Empty<RememberedKey>()));
                page = new List<TopicEvent>();
                pageBytes = 0;
            }

            page.Add(evt);
            pageBytes += evt.SizeInBytes;
        }

        Send(stores, new TopicSnapshotPage(_topic, _state.Epoch, _state.LastSeq, true, page, _state.Keys));
        _log.Info("Topic {0} handed off to {1} nodes at seq {2}", _topic, stores.Count, _state.LastSeq);
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
}
