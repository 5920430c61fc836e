using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Fanout.Hosting;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Topics;

namespace Fanout.Publishing;

/// <summary>
/// The node's publisher: keeps a feed of each topic some local subscriber reads, subscribes
/// to the pub-sub channel of those topics (<see cref="TopicChannels"/>: several topics
/// share one, counted by <see cref="ChannelSubscriptions"/>), and tells each event to the
/// topic's subscribers, once per node and in seq order. Events of a channel's other topics
/// find no feed and are ignored. Pub-sub delivers at most once and a fresh subscription
/// needs a gossip round to reach other nodes, so the feed checks seq continuity and repairs
/// holes from the topic's history; it also polls the topic's last seq, faster while a feed
/// is new. A feed attaches on the topic's own answer (<see cref="TopicState"/>), never on
/// the mediator's <see cref="SubscribeAck"/>, so a topic whose channel is already
/// subscribed attaches just as fast.
/// </summary>
public sealed class NodePublisher : ReceiveActor, IWithTimers
{
    public const string Name = "node-publisher";

    private readonly IActorRef _mediator;
    private readonly IActorRef _topics;
    private readonly PublisherOptions _options;
    private readonly int _pageBytes;
    private readonly Dictionary<string, TopicFeed> _feeds = new(StringComparer.Ordinal);
    private readonly ChannelSubscriptions _channels = new();
    private readonly Dictionary<IActorRef, SubscribeTopics> _subscribers = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public NodePublisher(IActorRef mediator, IActorRef topics, PublisherOptions options, int pageBytes)
    {
        _mediator = mediator;
        _topics = topics;
        _options = options;
        _pageBytes = pageBytes;

        Receive<SubscribeTopics>(Handle);
        Receive<TopicEvent>(OnLiveEvent);
        Receive<TopicState>(Handle);
        Receive<HistorySlice>(Handle);
        Receive<Terminated>(t => Remove(t.ActorRef));
        Receive<SyncTick>(_ => Sync());
        Receive<GetLocalSubscribers>(_ => Sender.Tell(Snapshot()));
        Receive<CloseLocalSubscribers>(Handle);
        Receive<GetSubscriberDetails>(_ => Sender.Tell(new SubscriberDetails(Statuses().Select(s => s.Snapshot()).ToList())));
        Receive<CloseSubscriber>(Handle);
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef mediator, IActorRef topics, PublisherOptions options, int pageBytes) =>
        Akka.Actor.Props.Create(() => new NodePublisher(mediator, topics, options, pageBytes));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(
            "sync",
            SyncTick.Instance,
            TimeSpan.FromMilliseconds(Math.Max(50, _options.NewTopicSyncMilliseconds)));

    private void Handle(SubscribeTopics subscribe)
    {
        var pending = new PendingSubscribe(Sender, subscribe.Topics);
        Context.Watch(subscribe.Subscriber);
        _subscribers[subscribe.Subscriber] = subscribe;
        foreach (var topic in subscribe.Topics)
        {
            if (!_feeds.TryGetValue(topic, out var feed))
            {
                feed = new TopicFeed(topic, DateTime.UtcNow);
                _feeds.Add(topic, feed);
                if (_channels.Add(topic))
                {
                    _mediator.Tell(new Subscribe(TopicChannels.Of(topic), Self));
                }

                _topics.Tell(new GetTopicState(topic));
            }

            feed.Subscribers.Add(subscribe.Subscriber);
            if (feed.Attached)
            {
                pending.Starts[topic] = feed.Position;
            }
            else
            {
                feed.Waiting.Add(pending);
            }
        }

        ReplyIfComplete(pending);
    }

    private static void ReplyIfComplete(PendingSubscribe pending)
    {
        if (pending.Starts.Count == pending.Topics.Count)
        {
            pending.ReplyTo.Tell(new TopicsSubscribed(pending.Starts));
        }
    }

    private void Remove(IActorRef subscriber)
    {
        if (!_subscribers.Remove(subscriber, out var subscription))
        {
            return;
        }

        foreach (var topic in subscription.Topics)
        {
            if (!_feeds.TryGetValue(topic, out var feed))
            {
                continue;
            }

            feed.Subscribers.Remove(subscriber);
            feed.Waiting.RemoveAll(p => p.ReplyTo.Equals(subscriber));
            if (feed.Subscribers.Count == 0)
            {
                _feeds.Remove(topic);
                if (_channels.Remove(topic))
                {
                    _mediator.Tell(new Unsubscribe(TopicChannels.Of(topic), Self));
                }
            }
        }
    }

    private void Handle(TopicState state)
    {
        if (!_feeds.TryGetValue(state.Topic, out var feed))
        {
            return;
        }

        feed.LastSync = DateTime.UtcNow;
        if (!feed.Attached)
        {
            Attach(feed, state.Epoch, state.LastSeq);
            return;
        }

        if (state.Epoch != feed.Epoch)
        {
            if (!Cursor.IsNewer(state.Epoch, feed.Epoch!))
            {
                return;
            }

            StartEpoch(feed, state.Epoch);
        }

        if (state.LastSeq > feed.LastSeq && feed.RepairUpTo is null)
        {
            Repair(feed, state.LastSeq);
        }
    }

    private void Attach(TopicFeed feed, string epoch, long lastSeq)
    {
        feed.Epoch = epoch;
        feed.LastSeq = lastSeq;
        foreach (var pending in feed.Waiting)
        {
            pending.Starts[feed.Topic] = feed.Position;
            ReplyIfComplete(pending);
        }

        feed.Waiting.Clear();
        ReleaseHeld(feed);
    }

    private static void StartEpoch(TopicFeed feed, string epoch)
    {
        feed.Epoch = epoch;
        feed.LastSeq = 0;
        feed.RepairUpTo = null;
        feed.Held.RemoveAll(e => e.Epoch != epoch);
    }

    private void OnLiveEvent(TopicEvent evt)
    {
        if (!_feeds.TryGetValue(evt.Topic, out var feed))
        {
            // Another topic of a channel this node is subscribed to (or one whose last local
            // subscriber just left): nobody here reads it. Not a drop of anyone's event.
            return;
        }

        if (!feed.Attached || feed.RepairUpTo is not null)
        {
            Hold(feed, evt);
            return;
        }

        Deliver(feed, evt);
    }

    private void Deliver(TopicFeed feed, TopicEvent evt)
    {
        if (evt.Epoch != feed.Epoch)
        {
            if (!Cursor.IsNewer(evt.Epoch, feed.Epoch!))
            {
                return;
            }

            _log.Info("Topic {0} moved to epoch {1} (was {2})", feed.Topic, evt.Epoch, feed.Epoch);
            StartEpoch(feed, evt.Epoch);
        }

        if (evt.Seq <= feed.LastSeq)
        {
            return;
        }

        if (evt.Seq > feed.LastSeq + 1)
        {
            Hold(feed, evt);
            Repair(feed, evt.Seq - 1);
            return;
        }

        FanOut(feed, evt);
    }

    private static void FanOut(TopicFeed feed, TopicEvent evt)
    {
        feed.LastSeq = evt.Seq;
        foreach (var subscriber in feed.Subscribers)
        {
            subscriber.Tell(evt, ActorRefs.NoSender);
        }
    }

    private void Hold(TopicFeed feed, TopicEvent evt)
    {
        feed.Held.Add(evt);
        if (feed.Held.Count > _options.MaxHeldEvents)
        {
            _log.Warning("Topic {0}: gave up repairing a gap after holding {1} events", feed.Topic, feed.Held.Count);
            feed.RepairUpTo = null;
            ReleaseHeld(feed, giveUp: true);
        }
    }

    private void Repair(TopicFeed feed, long upTo)
    {
        feed.RepairUpTo = upTo;
        _topics.Tell(new ReadHistory(feed.Topic, feed.LastSeq, upTo, _pageBytes));
    }

    private void Handle(HistorySlice slice)
    {
        if (!_feeds.TryGetValue(slice.Topic, out var feed) || feed.RepairUpTo is not { } upTo)
        {
            return;
        }

        if (slice.Epoch != feed.Epoch)
        {
            if (Cursor.IsNewer(slice.Epoch, feed.Epoch!))
            {
                StartEpoch(feed, slice.Epoch);
                Repair(feed, slice.LastSeq);
            }

            return;
        }

        foreach (var evt in slice.Events)
        {
            if (evt.Seq > feed.LastSeq)
            {
                FanOut(feed, evt);
            }
        }

        var more = slice.Events.Count > 0 && feed.LastSeq < Math.Min(upTo, slice.LastSeq);
        if (more)
        {
            Repair(feed, upTo);
            return;
        }

        // The rest is gone from history (or never existed): subscribers see the jump and
        // report it as lagged.
        feed.RepairUpTo = null;
        ReleaseHeld(feed);
    }

    private void ReleaseHeld(TopicFeed feed, bool giveUp = false)
    {
        if (feed.Held.Count == 0)
        {
            return;
        }

        var held = feed.Held.OrderBy(e => e.Seq).ToList();
        feed.Held.Clear();
        for (var i = 0; i < held.Count; i++)
        {
            if (giveUp)
            {
                if (held[i].Epoch == feed.Epoch && held[i].Seq > feed.LastSeq)
                {
                    FanOut(feed, held[i]);
                }

                continue;
            }

            Deliver(feed, held[i]);
            if (feed.RepairUpTo is not null)
            {
                // A new gap: keep the rest until it is repaired.
                feed.Held.AddRange(held.Skip(i + 1));
                return;
            }
        }
    }

    private void Sync()
    {
        var now = DateTime.UtcNow;
        var fresh = TimeSpan.FromSeconds(_options.NewTopicSeconds);
        var every = TimeSpan.FromSeconds(Math.Max(1, _options.SyncSeconds));
        foreach (var feed in _feeds.Values)
        {
            var isNew = now - feed.SubscribedAt < fresh;
            if (!feed.Attached || isNew || now - feed.LastSync >= every)
            {
                feed.LastSync = now;
                _topics.Tell(new GetTopicState(feed.Topic));
            }
        }
    }

    private void Handle(CloseLocalSubscribers close)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            var retry = close.RetryMillis + Random.Shared.Next(Math.Max(1, close.SpreadMillis));
            subscriber.Tell(new CloseSubscription("shutdown", SseEncoder.Shutdown(retry, close.Node)));
        }

        _log.Info("Closing {0} local subscribers for shutdown", _subscribers.Count);
        Sender.Tell(new LocalSubscribersClosing(_subscribers.Count));
    }

    private void Handle(CloseSubscriber close)
    {
        var status = Statuses().FirstOrDefault(s => s.Id == close.Id);
        if (status is not null)
        {
            _log.Info("Closing subscriber {0} from {1} at an operator's request", status.Id, status.Request.RemoteAddress ?? "unknown");
            status.Close("closed by an operator");
        }

        Sender.Tell(new SubscriberClosed(close.Id, status is not null));
    }

    private IEnumerable<SubscriberStatus> Statuses() =>
        _subscribers.Values.Select(s => s.Status).OfType<SubscriberStatus>();

    private LocalSubscribers Snapshot() =>
        new(_subscribers.Count, _feeds.ToDictionary(f => f.Key, f => f.Value.Subscribers.Count, StringComparer.Ordinal));

    private sealed record SyncTick
    {
        public static readonly SyncTick Instance = new();
    }
}
