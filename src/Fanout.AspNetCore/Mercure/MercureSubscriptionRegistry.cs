using System.Collections.Concurrent;

namespace Fanout.AspNetCore.Mercure;

/// <summary>This node's active Mercure subscriptions, by subscriber (thread-safe; the subscriptions API asks every node's).</summary>
public sealed class MercureSubscriptionRegistry
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<MercureSubscription>> _bySubscriber = new(StringComparer.Ordinal);

    public void Add(IReadOnlyList<MercureSubscription> subscriptions)
    {
        if (subscriptions.Count > 0)
        {
            _bySubscriber[subscriptions[0].Subscriber] = subscriptions;
        }
    }

    public void Remove(string subscriber) => _bySubscriber.TryRemove(subscriber, out _);

    public IReadOnlyList<MercureSubscription> All() => _bySubscriber.Values.SelectMany(s => s).ToList();
}
