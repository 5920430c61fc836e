using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Fanout.Diagnostics;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Streaming;
using Fanout.Subscribers;
using Fanout.Topics;

namespace Fanout.Hosting;

/// <summary>
/// The library's front door: publish to a topic, open a subscription as an Akka.Streams
/// source, read topic state. Callers (the HTTP endpoints, tests) never touch actors.
/// </summary>
public sealed class FanoutHub
{
    /// <summary>HOCON path of the subscriber mailbox section.</summary>
    public const string SubscriberMailbox = "fanout.subscriber-mailbox";

    /// <summary>HOCON path of the dispatcher subscription streams run on (when configured).</summary>
    public const string StreamDispatcher = "fanout.stream-dispatcher";

    private readonly ActorSystem _system;
    private readonly IActorRef _topics;
    private readonly IActorRef _nodePublisher;
    private readonly FanoutOptions _options;

    public FanoutHub(ActorSystem system, IActorRef topics, IActorRef nodePublisher, FanoutOptions options, FanoutMetrics? metrics = null)
    {
        _system = system;
        _topics = topics;
        _nodePublisher = nodePublisher;
        _options = options;
        Metrics = metrics ?? FanoutMetrics.Default;
        Node = Cluster.Get(system).SelfAddress.ToString();
        // One materializer for every subscription; its stream actors take the compact
        // mailbox of fanout.stream-dispatcher where the system has it (WithFanout adds it).
        var settings = ActorMaterializerSettings.Create(system);
        if (system.Settings.Config.HasPath(StreamDispatcher))
        {
            settings = settings.WithDispatcher(StreamDispatcher);
        }

        Materializer = system.Materializer(settings, namePrefix: "fanout");
    }

    /// <summary>This node's cluster address, as the connected frame reports it.</summary>
    public string Node { get; }

    public FanoutOptions Options => _options;

    /// <summary>This node's instruments; stream writers record their flushes here.</summary>
    public FanoutMetrics Metrics { get; }

    /// <summary>One materializer for every subscription of this node.</summary>
    public IMaterializer Materializer { get; }

    public IActorRef Topics => _topics;

    public IActorRef NodePublisher => _nodePublisher;

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default upper bound of one <see cref="SseFrameBatch"/>, in bytes.</summary>
    public const int DefaultMaxBatchBytes = 64 * 1024;

    /// <summary>
    /// A source of the subscription's SSE frames, in batches of the frames that were ready
    /// together (write them all, flush once). Each materialization starts one subscriber
    /// actor on the drop-head mailbox; cancelling the stream stops it. The first frame is
    /// <c>fanout.connected</c>; idle periods carry keepalive comments (sent by the subscriber
    /// actor). The materialized value is the subscriber's live status (what operators see);
    /// whoever writes the frames to the client calls <see cref="SubscriberStatus.MarkWritten"/>
    /// after each flush.
    /// </summary>
    public Source<SseFrameBatch, SubscriberStatus> SubscribeBatches(SubscriptionRequest request, int maxBatchBytes = DefaultMaxBatchBytes) =>
        Source.FromGraph(new SubscriberSource(_options.Subscriber.StreamBufferFrames, maxBatchBytes, stream => StartSubscriber(request, stream)));

    /// <summary>The frames of <see cref="SubscribeBatches"/> one by one.</summary>
    public Source<SseFrame, SubscriberStatus> Subscribe(SubscriptionRequest request) =>
        SubscribeBatches(request).SelectMany(batch => batch.AsSegment());

    private SubscriberStatus StartSubscriber(SubscriptionRequest request, SubscriberStream stream)
    {
        var status = new SubscriberStatus(SubscriberStatus.NewId(), Node, request, DateTimeOffset.UtcNow, stream.Closer);
        _system.ActorOf(
            SubscriberActor.Props(request, stream, _nodePublisher, _topics, _options.Subscriber, Node, status, Metrics)
                .WithMailbox(SubscriberMailbox),
            $"subscriber-{status.Id}");
        return status;
    }

    /// <summary>
    /// Appends events to a topic, all or nothing; the answer comes once the topic's store
    /// holds them. Throws <see cref="PublishFailedException"/> when the store did not take
    /// them (nothing was accepted or delivered) and <see cref="AskTimeoutException"/> when
    /// the topic did not answer in time (the events may or may not have been accepted).
    /// </summary>
    public async Task<EventsAccepted> PublishAsync(string topic, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken = default) =>
        await _topics.Ask<object>(new PublishEvents(topic, events), AskTimeout, cancellationToken) switch
        {
            EventsAccepted accepted => accepted,
            PublishNotStored failed => throw new PublishFailedException(failed.Topic, failed.Reason),
            var other => throw new InvalidOperationException($"Topic {topic} answered a publish with {other.GetType().Name}."),
        };

    public Task<TopicState> GetTopicStateAsync(string topic, CancellationToken cancellationToken = default) =>
        _topics.Ask<TopicState>(new GetTopicState(topic), AskTimeout, cancellationToken);

    public Task<LocalSubscribers> GetLocalSubscribersAsync(CancellationToken cancellationToken = default) =>
        _nodePublisher.Ask<LocalSubscribers>(GetLocalSubscribers.Instance, AskTimeout, cancellationToken);

    /// <summary>Sends every local subscriber <c>fanout.shutdown</c> (jittered retry) and closes its stream.</summary>
    public Task<LocalSubscribersClosing> CloseLocalSubscribersAsync(int spreadMillis, CancellationToken cancellationToken = default) =>
        _nodePublisher.Ask<LocalSubscribersClosing>(
            new CloseLocalSubscribers(Node, _options.Subscriber.RetryMilliseconds, spreadMillis), AskTimeout, cancellationToken);

    /// <summary>
    /// Subscriber counts per topic summed over every Up member of the cluster. A member
    /// that does not answer in time is left out rather than failing the whole answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> GetClusterSubscribersAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryNodePublisherAsync<LocalSubscribers>(GetLocalSubscribers.Instance, cancellationToken);
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, answer) in answers)
        {
            foreach (var (topic, count) in answer?.ByTopic ?? new Dictionary<string, int>())
            {
                totals[topic] = totals.GetValueOrDefault(topic) + count;
            }
        }

        return totals;
    }

    /// <summary>
    /// Every subscriber of every Up member, slowest first (see <see cref="SubscriberInfo.SlowestFirst"/>),
    /// and the members that did not answer in time.
    /// </summary>
    public async Task<ClusterSubscriberDetails> GetClusterSubscriberDetailsAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryNodePublisherAsync<SubscriberDetails>(GetSubscriberDetails.Instance, cancellationToken);
        return new ClusterSubscriberDetails(
            SubscriberInfo.SlowestFirst(answers.SelectMany(a => a.Answer?.Subscribers ?? [])),
            answers.Where(a => a.Answer is null).Select(a => a.Member.ToString()).ToList());
    }

    /// <summary>Closes the subscriber with this id wherever it is connected; false if no member has it.</summary>
    public async Task<bool> CloseSubscriberAsync(string id, CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryNodePublisherAsync<SubscriberClosed>(new CloseSubscriber(id), cancellationToken);
        return answers.Any(a => a.Answer?.Found == true);
    }

    /// <summary>Names of the topics alive anywhere in the cluster (running topic actors).</summary>
    public async Task<IReadOnlyCollection<string>> GetClusterTopicsAsync(CancellationToken cancellationToken = default)
    {
        var answers = await AskEveryMemberAsync<CurrentShardRegionState>(
            address => new RootActorPath(address) / "system" / "sharding" / TopicRegion.TypeName,
            GetShardRegionState.Instance,
            cancellationToken);
        return answers
            .SelectMany(a => a.Answer?.Shards.SelectMany(s => s.EntityIds) ?? [])
            .ToHashSet(StringComparer.Ordinal);
    }

    private Task<IReadOnlyList<(Address Member, T? Answer)>> AskEveryNodePublisherAsync<T>(object question, CancellationToken cancellationToken)
        where T : class =>
        AskEveryMemberAsync<T>(address => new RootActorPath(address) / "user" / Publishing.NodePublisher.Name, question, cancellationToken);

    /// <summary>
    /// Asks the actor at <paramref name="path"/> on every Up member; a member that does not
    /// answer in time has a null answer rather than failing the whole question.
    /// </summary>
    private async Task<IReadOnlyList<(Address Member, T? Answer)>> AskEveryMemberAsync<T>(
        Func<Address, ActorPath> path, object question, CancellationToken cancellationToken)
        where T : class =>
        await Task.WhenAll(UpMembers().Select(async address =>
        {
            try
            {
                return (address, await _system.ActorSelection(path(address)).Ask<T>(question, AskTimeout, cancellationToken));
            }
            catch (AskTimeoutException)
            {
                return (address, (T?)null);
            }
        }));

    private IEnumerable<Address> UpMembers() =>
        Cluster.Get(_system).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address);
}

/// <summary>Subscribers of the whole cluster, slowest first, and the members that did not answer.</summary>
public sealed record ClusterSubscriberDetails(IReadOnlyList<SubscriberInfo> Subscribers, IReadOnlyList<string> UnansweredMembers);

/// <summary>The topic's store did not take a publish: none of its events was accepted or delivered.</summary>
public sealed class PublishFailedException(string topic, string reason)
    : Exception($"Topic {topic} did not accept the publish: {reason}")
{
    public string Topic { get; } = topic;

    public string Reason { get; } = reason;
}
