using Akka.Actor;
using Akka.Event;

namespace Fanout.Topics;

/// <summary>
/// Holds, for a short while, the state of topics that are moving between nodes. A moving
/// topic sends its snapshot to the store of every other node (its next home is not known
/// yet); the topic's next incarnation claims it from its own node's store and tells the
/// others to discard their copies, so a stale snapshot can never be adopted later.
/// </summary>
public sealed class TopicHandoffStore : ReceiveActor, IWithTimers
{
    public const string Name = "topic-handoff";

    private readonly TimeSpan _keepFor;
    private readonly TimeSpan _claimWait;
    private readonly Dictionary<string, Incoming> _incoming = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicSnapshot> _complete = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _waiting = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public TopicHandoffStore(TimeSpan keepFor, TimeSpan claimWait)
    {
        _keepFor = keepFor;
        _claimWait = claimWait;
        Receive<TopicSnapshotPage>(Handle);
        Receive<ClaimTopicSnapshot>(Handle);
        Receive<DiscardTopicSnapshot>(Handle);
        Receive<Expire>(e => Forget(e.Topic, e.Epoch));
        Receive<ClaimTimeout>(Handle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan keepFor, TimeSpan claimWait) =>
        Akka.Actor.Props.Create(() => new TopicHandoffStore(keepFor, claimWait));

    private void Handle(TopicSnapshotPage page)
    {
        if (!_incoming.TryGetValue(page.Topic, out var incoming) || incoming.Epoch != page.Epoch)
        {
            incoming = new Incoming(page.Epoch);
            _incoming[page.Topic] = incoming;
            _complete.Remove(page.Topic);
            Timers.StartSingleTimer(("expire", page.Topic), new Expire(page.Topic, page.Epoch), _keepFor);
        }

        incoming.Events.AddRange(page.Events);
        incoming.Keys.AddRange(page.Keys);
        if (!page.IsLast)
        {
            return;
        }

        _incoming.Remove(page.Topic);
        var snapshot = new TopicSnapshot(page.Topic, page.Epoch, page.LastSeq, incoming.Events, incoming.Keys);
        if (_waiting.Remove(page.Topic, out var claimer))
        {
            Timers.Cancel(("claim", page.Topic));
            claimer.Tell(snapshot);
            return;
        }

        _complete[page.Topic] = snapshot;
    }

    private void Handle(ClaimTopicSnapshot claim)
    {
        if (_complete.Remove(claim.Topic, out var snapshot))
        {
            Sender.Tell(snapshot);
            return;
        }

        if (_incoming.ContainsKey(claim.Topic))
        {
            // Pages still arriving: answer when the last one is here, or give up.
            _waiting[claim.Topic] = Sender;
            Timers.StartSingleTimer(("claim", claim.Topic), new ClaimTimeout(claim.Topic), _claimWait);
            return;
        }

        Sender.Tell(new NoTopicSnapshot(claim.Topic));
    }

    private void Handle(ClaimTimeout timeout)
    {
        if (_waiting.Remove(timeout.Topic, out var claimer))
        {
            _log.Warning("Hand-off snapshot of topic {0} did not complete in time; the topic starts a new epoch", timeout.Topic);
            claimer.Tell(new NoTopicSnapshot(timeout.Topic));
        }
    }

    private void Handle(DiscardTopicSnapshot discard) => Forget(discard.Topic, discard.Epoch);

    private void Forget(string topic, string epoch)
    {
        if (_complete.TryGetValue(topic, out var snapshot) && snapshot.Epoch == epoch)
        {
            _complete.Remove(topic);
        }

        if (_incoming.TryGetValue(topic, out var incoming) && incoming.Epoch == epoch)
        {
            _incoming.Remove(topic);
        }
    }

    private sealed class Incoming
    {
        public Incoming(string epoch) => Epoch = epoch;

        public string Epoch { get; }

        public List<TopicEvent> Events { get; } = new();

        public List<RememberedKey> Keys { get; } = new();
    }

    private sealed record Expire(string Topic, string Epoch);

    private sealed record ClaimTimeout(string Topic);
}
