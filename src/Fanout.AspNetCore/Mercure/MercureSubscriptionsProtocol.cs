namespace Fanout.AspNetCore.Mercure;

/// <summary>Asks a node's <see cref="MercureSubscriptionsActor"/> for its active Mercure subscriptions.</summary>
public sealed record GetMercureSubscriptions
{
    public static readonly GetMercureSubscriptions Instance = new();
}

/// <summary>One node's active Mercure subscriptions.</summary>
public sealed record MercureSubscriptionList(IReadOnlyList<MercureSubscription> Subscriptions);
