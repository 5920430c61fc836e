using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Fanout.Diagnostics;
using Fanout.Hosting;
using Fanout.Sse;

namespace Fanout.Topics;

/// <summary>
/// The single writer of one topic: numbers its events, encodes each frame once, keeps the
/// replay window and hands every event to pub-sub, which carries it to each node with
/// subscribers. A new incarnation (first start, passivation, a shard moving) draws a new
/// epoch, so cursors from an older one are recognised and reset.
/// </summary>
public sealed class TopicActor : ReceiveActor
{
    private readonly string _topic;
    private readonly IActorRef _mediator;
    private readonly TopicHistory _history;
    private readonly FanoutMetrics _metrics;
    private readonly Dictionary<string, AcceptedEvent> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(long Seq, string Key)> _keyOrder = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _epoch = Cursor.NewEpoch();
    private long _lastSeq;

    public TopicActor(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics metrics)
    {
        _topic = topic;
        _mediator = mediator;
        _metrics = metrics;
        _history = new TopicHistory(options.HistoryEvents, options.HistoryBytes);

        Receive<PublishEvents>(Handle);
        Receive<ReadHistory>(Handle);
        Receive<GetTopicState>(_ => Sender.Tell(State()));
    }

    /// <param name="metrics">Where accepted events are counted (once in the cluster: a topic lives on one node); null: <see cref="FanoutMetrics.Default"/>.</param>
    public static Props Props(string topic, TopicOptions options, IActorRef mediator, FanoutMetrics? metrics = null)
    {
        var counted = metrics ?? FanoutMetrics.Default;
        return Akka.Actor.Props.Create(() => new TopicActor(topic, options, mediator, counted));
    }

    /// <summary>The pub-sub channel that carries a topic's events to the nodes.</summary>
    public static string Channel(string topic) => "fanout/" + topic;

    protected override void PreStart() => _log.Debug("Topic {0} started with epoch {1}", _topic, _epoch);

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

    private long FirstAvailableSeq => _history.FirstSeq ?? _lastSeq + 1;

    private TopicState State() =>
        new(_topic, _epoch, _lastSeq, FirstAvailableSeq, _history.Count, _history.Bytes);
}
