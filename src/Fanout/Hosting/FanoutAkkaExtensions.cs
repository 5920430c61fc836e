using System.Globalization;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Fanout.Diagnostics;
using Fanout.Publishing;
using Fanout.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Hosting;

/// <summary>Akka.Hosting wiring of a Fanout node: topic shards, pub-sub, the node publisher, the hub.</summary>
public static class FanoutAkkaExtensions
{
    /// <summary>
    /// Adds Fanout's actors to an Akka.Hosting builder. Clustering and remoting are the
    /// caller's (they are deployment); this needs the cluster provider to be on.
    /// </summary>
    public static AkkaConfigurationBuilder WithFanout(this AkkaConfigurationBuilder builder, FanoutOptions options)
    {
        builder.AddHocon(MailboxHocon(options.Subscriber), HoconAddMode.Prepend);
        builder.AddHocon(SerializationHocon, HoconAddMode.Prepend);
        builder.WithDistributedPubSub(string.Empty);
        builder.WithFanoutStore(options.Store);
        var durable = options.Store.ParsedKind != StoreKind.Memory;
        if (durable)
        {
            // The journal is asked from the start, so readiness knows whether a publish can be stored.
            builder.AddStartup((system, _) => JournalHealthExtension.Get(system));
        }

        var active = new ActiveTopics(options.Topic.MaxActivePerNode);
        if (!durable)
        {
            // The memory store keeps a topic's state across a graceful move by handing it
            // to the next incarnation; a durable topic reads it back from the journal.
            builder.WithActors((system, registry) =>
                registry.Register<TopicHandoffStoreActor>(system.ActorOf(
                    TopicHandoffStore.Props(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3)),
                    TopicHandoffStore.Name)));
        }

        builder.WithShardRegion<TopicRegion>(
            TopicRegion.TypeName,
            (system, registry, resolver) =>
            {
                var metrics = resolver.GetService<FanoutMetrics>() ?? FanoutMetrics.Default;
                var mediator = DistributedPubSub.Get(system).Mediator;
                if (durable)
                {
                    return topic => TopicActor.Props(topic, options.Topic, mediator, metrics, active);
                }

                var handoff = registry.Get<TopicHandoffStoreActor>();
                return topic => VolatileTopicActor.Props(topic, options.Topic, mediator, metrics, handoff, active);
            },
            new TopicMessageExtractor(),
            new ShardOptions
            {
                RememberEntities = false,

                // Akka.Hosting's own default is persistence mode; the coordinator's state
                // belongs in distributed data (the journal is for topics).
                StateStoreMode = StateStoreMode.DData,

                // Topics passivate themselves (idle, least recently used, empty), finishing
                // their writes first; the hand-off message is the stop of a real move.
                ShouldPassivateIdleEntities = false,
                HandOffStopMessage = TopicHandOff.Instance,
            });
        builder.WithActors((system, registry, resolver) =>
        {
            (resolver.GetService<FanoutMetrics>() ?? FanoutMetrics.Default).ObserveCluster(Cluster.Get(system));
            var publisher = system.ActorOf(
                NodePublisher.Props(
                    DistributedPubSub.Get(system).Mediator,
                    registry.Get<TopicRegion>(),
                    options.Publisher,
                    options.Subscriber.ReplayPageBytes),
                NodePublisher.Name);
            registry.Register<NodePublisherActor>(publisher);
        });
        return builder;
    }

    /// <summary>
    /// Registers <see cref="FanoutHub"/> and this node's <see cref="FanoutMetrics"/> (on the
    /// host's <see cref="IMeterFactory"/> when there is one) for an Akka.Hosting service collection.
    /// </summary>
    public static IServiceCollection AddFanoutHub(this IServiceCollection services, FanoutOptions options)
    {
        services.AddSingleton(sp => new FanoutMetrics(sp.GetService<IMeterFactory>(), options.Metrics));
        return services.AddSingleton(sp => new FanoutHub(
            sp.GetRequiredService<ActorSystem>(),
            sp.GetRequiredService<IRequiredActor<TopicRegion>>().ActorRef,
            sp.GetRequiredService<IRequiredActor<NodePublisherActor>>().ActorRef,
            options,
            sp.GetRequiredService<FanoutMetrics>()));
    }

    /// <summary>Binds every message that crosses nodes to <see cref="Serialization.FanoutSerializer"/>.</summary>
    public const string SerializationHocon = """
        akka.actor {
          serializers.fanout = "Fanout.Serialization.FanoutSerializer, Fanout"
          serialization-bindings {
            "Fanout.Topics.TopicEvent, Fanout" = fanout
            "Fanout.Topics.PublishEvents, Fanout" = fanout
            "Fanout.Topics.EventsAccepted, Fanout" = fanout
            "Fanout.Topics.ReadHistory, Fanout" = fanout
            "Fanout.Topics.HistorySlice, Fanout" = fanout
            "Fanout.Topics.GetTopicState, Fanout" = fanout
            "Fanout.Topics.TopicState, Fanout" = fanout
            "Fanout.Publishing.GetLocalSubscribers, Fanout" = fanout
            "Fanout.Publishing.LocalSubscribers, Fanout" = fanout
            "Fanout.Topics.TopicSnapshotPage, Fanout" = fanout
            "Fanout.Topics.DiscardTopicSnapshot, Fanout" = fanout
            "Fanout.Publishing.GetSubscriberDetails, Fanout" = fanout
            "Fanout.Publishing.SubscriberDetails, Fanout" = fanout
            "Fanout.Publishing.CloseSubscriber, Fanout" = fanout
            "Fanout.Publishing.SubscriberClosed, Fanout" = fanout
            "Fanout.Topics.PublishNotStored, Fanout" = fanout
            "Fanout.Topics.LocateKey, Fanout" = fanout
            "Fanout.Topics.KeyLocation, Fanout" = fanout
            "Fanout.Topics.TopicEventRecord, Fanout" = fanout
          }
        }
        """;

    /// <summary>
    /// The subscriber mailbox section with the configured bounds, and the dispatcher the
    /// subscription streams run on (the default dispatcher's threads, a compact mailbox).
    /// </summary>
    public static string MailboxHocon(SubscriberOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            fanout.subscriber-mailbox {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
              max-events = {{options.MaxEvents}}
              max-bytes = {{options.MaxBytes}}
            }
            {{FanoutHub.StreamDispatcher}} {
              type = Dispatcher
              executor = default-executor
              mailbox-type = "Fanout.Mailbox.CompactMailbox, Fanout"
            }
            """);
}
