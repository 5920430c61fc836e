using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Topics;
using Xunit.Abstractions;

namespace Fanout.Tests.Support;

/// <summary>
/// A one-node Fanout cluster inside the test's ActorSystem: self-joined, topic shard
/// region, pub-sub mediator, node publisher and hub, wired the way the hosting extension
/// wires them.
/// </summary>
public abstract class FanoutClusterTestKit : Akka.TestKit.Xunit2.TestKit
{
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

    protected IActorRef Publisher { get; }

    protected FanoutHub Hub { get; }

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
