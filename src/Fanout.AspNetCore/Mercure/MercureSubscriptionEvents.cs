using Akka.Actor;
using Fanout.Hosting;
using Fanout.Topics;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// With <c>Fanout:Mercure:Subscriptions</c> on: a subscriber's subscriptions (one per
/// selector) are registered on its node and announced as private updates on
/// <c>/.well-known/mercure/subscriptions/{topic}/{subscriber}</c> when it connects
/// (<c>active: true</c>) and when its stream ends (<c>active: false</c>). A node that dies
/// announces no end: its subscriptions just vanish from the API.
/// </summary>
public sealed class MercureSubscriptionEvents(FanoutHub hub, MercureSubscriptionRegistry registry)
{
    public async Task ConnectedAsync(IReadOnlyList<MercureSubscription> subscriptions, CancellationToken cancellationToken)
    {
        registry.Add(subscriptions);
        await AnnounceAsync(subscriptions, active: true, cancellationToken);
    }

    public async Task DisconnectedAsync(IReadOnlyList<MercureSubscription> subscriptions)
    {
        if (subscriptions.Count == 0)
        {
            return;
        }

        registry.Remove(subscriptions[0].Subscriber);
        await AnnounceAsync(subscriptions, active: false, CancellationToken.None);
    }

    private async Task AnnounceAsync(IReadOnlyList<MercureSubscription> subscriptions, bool active, CancellationToken cancellationToken)
    {
        var drafts = subscriptions
            .Select(s => new MercureUpdate([s.Id], System.Text.Encoding.UTF8.GetString(s.ToJson(active, withContext: true)), true, MercurePublishForm.NewId(), null, null))
            .Select(u => new EventDraft(MercureTopic.EventType, u.ToJson(), u.Id))
            .ToList();
        try
        {
            await hub.PublishAsync(MercureTopic.Name, drafts, cancellationToken);
        }
        catch (Exception ex) when (ex is PublishFailedException or AskTimeoutException or OperationCanceledException)
        {
            // An announcement the store did not take is lost like any unstored update; the
            // subscription itself goes on, and the API still lists it.
        }
    }
}
