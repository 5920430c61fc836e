using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Fanout.Hosting;
using Fanout.Topics;
using Microsoft.AspNetCore.Http.Features;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// The subscriptions API (with <c>Fanout:Mercure:Subscriptions</c> on):
/// <c>/.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]</c>, JSON-LD, over every Up
/// member of the cluster (a member that does not answer in time is left out). The caller
/// needs a subscriber token whose <c>mercure.subscribe</c> matches the requested URL.
/// <c>lastEventID</c> (and the ETag) is the newest Mercure update's id, or <c>earliest</c>.
/// </summary>
public static class MercureSubscriptionsEndpoints
{
    private const string ContentType = "application/ld+json";

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet(MercureSubscription.CollectionPath, ListAsync);
        group.MapGet(MercureSubscription.CollectionPath + "/{**rest}", ListAsync);
    }

    public static async Task<IResult> ListAsync(
        HttpContext context, FanoutHub hub, ActorSystem system, MercureSettings settings, MercureTokens tokens, TopicSelectors selectors)
    {
        await MercureCors.ApplyAsync(context, settings);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var at = target.IndexOf(MercureSubscription.CollectionPath, StringComparison.Ordinal);
        if (at < 0)
        {
            return Results.NotFound();
        }

        var current = target[at..];
        if (await tokens.AuthorizeSubscriberAsync(context.Request) is not MercureAuthorization.Valid { Claims.Subscribe: { } allowed }
            || !selectors.MatchesAny([current], allowed))
        {
            return Results.Text("Unauthorized\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        var path = current[MercureSubscription.CollectionPath.Length..];
        var query = path.IndexOf('?');
        var segments = (query < 0 ? path : path[..query]).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(WebUtility.UrlDecode).ToArray();
        if (segments.Length > 2)
        {
            return Results.Text("404 page not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var lastEventId = await LastEventIdAsync(hub, context.RequestAborted);
        if (context.Request.Headers.IfNoneMatch.ToString() == lastEventId)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var all = await ClusterSubscriptionsAsync(system, hub.AskTimeout, context.RequestAborted);
        context.Response.Headers.ETag = lastEventId;
        if (segments.Length == 2)
        {
            var one = all.FirstOrDefault(s => s.Topic == segments[0] && s.Subscriber == segments[1]);
            return one is null
                ? Results.Text("404 page not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
                : Results.Bytes(one.ToJson(active: true, withContext: true, lastEventId), ContentType);
        }

        var listed = segments.Length == 1 ? all.Where(s => s.Topic == segments[0]) : all;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("@context", MercureSubscription.Context);
            json.WriteString("id", current);
            json.WriteString("type", "Subscriptions");
            json.WriteString("lastEventID", lastEventId);
            json.WriteStartArray("subscriptions");
            foreach (var subscription in listed.OrderBy(s => s.Topic, StringComparer.Ordinal).ThenBy(s => s.Subscriber, StringComparer.Ordinal))
            {
                subscription.Write(json, active: true, withContext: false);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Results.Bytes(buffer.ToArray(), ContentType);
    }

    /// <summary>The id of the newest Mercure update, or <c>earliest</c> when there is none.</summary>
    private static async Task<string> LastEventIdAsync(FanoutHub hub, CancellationToken cancellationToken)
    {
        var state = await hub.GetTopicStateAsync(MercureTopic.Name, cancellationToken);
        if (state.LastSeq == 0)
        {
            return MercureTopic.Earliest;
        }

        var slice = await hub.Topics.Ask<HistorySlice>(new ReadHistory(MercureTopic.Name, state.LastSeq - 1, state.LastSeq, 1), hub.AskTimeout, cancellationToken);
        return slice.Events.Count > 0 && slice.Events[^1].FrameFor(MercureEncoding.Instance).Update is { } newest
            ? newest.Id
            : MercureTopic.Earliest;
    }

    private static async Task<IReadOnlyList<MercureSubscription>> ClusterSubscriptionsAsync(ActorSystem system, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var members = Cluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address);
        var answers = await Task.WhenAll(members.Select(async address =>
        {
            try
            {
                var registry = system.ActorSelection(new RootActorPath(address) / "user" / MercureSubscriptionsActor.Name);
                return (await registry.Ask<MercureSubscriptionList>(GetMercureSubscriptions.Instance, timeout, cancellationToken)).Subscriptions;
            }
            catch (AskTimeoutException)
            {
                return [];
            }
        }));
        return answers.SelectMany(a => a).ToList();
    }
}
