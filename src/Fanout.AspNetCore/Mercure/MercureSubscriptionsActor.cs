using Akka.Actor;

namespace Fanout.AspNetCore.Mercure;

/// <summary>Answers, for this node, which Mercure subscriptions are active: the cluster-wide API asks every member's.</summary>
public sealed class MercureSubscriptionsActor : ReceiveActor
{
    public const string Name = "mercure-subscriptions";

    public MercureSubscriptionsActor(MercureSubscriptionRegistry registry) =>
        Receive<GetMercureSubscriptions>(_ => Sender.Tell(new MercureSubscriptionList(registry.All())));

    public static Props Props(MercureSubscriptionRegistry registry) =>
        Akka.Actor.Props.Create(() => new MercureSubscriptionsActor(registry));
}
