using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Fanout.Hosting;
using Fanout.Mailbox;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Support;

/// <summary>
/// A one-node Fanout cluster inside the test's ActorSystem: self-joined, topic shard
/// region, pub-sub mediator, node publisher and hub, wired the way the hosting extension
/// wires them.
/// </summary>
public abstract class FanoutClusterTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>How long a test waits for a frame, an actor or a condition. Generous: the machine is shared.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(20);

    protected FanoutClusterTestKit(FanoutOptions options, ITestOutputHelper output)
        : base(ClusterConfig(options), output: output)
    {
        Options = options;
        var cluster = Cluster.Get(Sys);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        if (!up.Task.Wait(UpTimeout))
        {
            throw new TimeoutException($"The test node did not come Up within {UpTimeout}.");
        }

        Mediator = DistributedPubSub.Get(Sys).Mediator;
        TopicRegion = ClusterSharding.Get(Sys).Start(
            Hosting.TopicRegion.TypeName,
            topic => TopicActor.Props(topic, options.Topic, Mediator),
            ClusterShardingSettings.Create(Sys),
            new TopicMessageExtractor());
        Publisher = Sys.ActorOf(
            NodePublisher.Props(Mediator, TopicRegion, options.Publisher, options.Subscriber.ReplayPageBytes),
            NodePublisher.Name);
        Hub = new FanoutHub(Sys, TopicRegion, Publisher, options);
    }

    protected FanoutOptions Options { get; }

    protected IActorRef Mediator { get; }

    protected IActorRef TopicRegion { get; }

    private readonly List<SubscriberStatus> _opened = new();

    protected IActorRef Publisher { get; }

    protected FanoutHub Hub { get; }

    /// <summary>Materializes a subscription into a probe that has asked for <paramref name="demand"/> frames.</summary>
    protected TestSubscriber.Probe<SseFrame> Open(SubscriptionRequest request, long demand = 100_000)
    {
        var (status, probe) = Hub.Subscribe(request).ToMaterialized(this.SinkProbe<SseFrame>(), Keep.Both).Run(Hub.Materializer);
        _opened.Add(status);
        if (demand > 0)
        {
            probe.Request(demand);
        }

        return probe;
    }

    protected TestSubscriber.Probe<SseFrame> Open(params string[] topics) => Open(new SubscriptionRequest(topics, null));

    protected static ParsedFrame Next(TestSubscriber.Probe<SseFrame> probe) => ParsedFrame.Of(probe.ExpectNext(Patience));

    protected Task<EventsAccepted> PublishAsync(string topic, int first, int count) =>
        Hub.PublishAsync(topic, Drafts.Range(first, count));

    /// <summary>The actor of the n-th subscription this test opened (numbered from 1).</summary>
    protected Task<IActorRef> SubscriberActorAsync(int number) =>
        Sys.ActorSelection($"/user/subscriber-{_opened[number - 1].Id}").ResolveOne(Patience);

    /// <summary>The drop-head queue of a running subscriber actor.</summary>
    protected static DropHeadMessageQueue MailboxOf(IActorRef subscriber)
    {
        var cell = (ActorCell)((ActorRefWithCell)subscriber).Underlying;
        return Assert.IsType<DropHeadMessageQueue>(cell.Mailbox!.MessageQueue);
    }

    protected LocalSubscribers LocalSubscribers()
    {
        Publisher.Tell(GetLocalSubscribers.Instance, TestActor);
        return ExpectMsg<LocalSubscribers>(Patience);
    }

    /// <summary>Options with heartbeats off, so no keepalive frame lands between the frames a test expects.</summary>
    protected static FanoutOptions QuietOptions(Action<FanoutOptions>? adjust = null)
    {
        var options = new FanoutOptions();
        options.Subscriber.HeartbeatSeconds = 0;
        adjust?.Invoke(options);
        return options;
    }

    private static Config ClusterConfig(FanoutOptions options) =>
        ConfigurationFactory.ParseString(FanoutAkkaExtensions.MailboxHocon(options.Subscriber))
            .WithFallback(ConfigurationFactory.ParseString("""
                akka {
                  loglevel = INFO
                  actor.provider = cluster
                  remote.dot-netty.tcp {
                    hostname = 127.0.0.1
                    port = 0
                  }
                  cluster {
                    min-nr-of-members = 1
                    leader-actions-interval = 100ms
                    gossip-interval = 200ms
                    sharding.retry-interval = 200ms
                    pub-sub.gossip-interval = 200ms
                  }
                  coordinated-shutdown.run-by-actor-system-terminate = off
                }
                """));
}
