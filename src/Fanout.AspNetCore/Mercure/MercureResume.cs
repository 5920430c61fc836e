using Akka.Actor;
using Fanout.Hosting;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// Where a Mercure subscription starts, from its Last-Event-ID: <c>earliest</c> replays all
/// retained history; an id still in history (found through the topic's key index) replays
/// what came after it; an unknown id (never published, or past retention) starts live.
/// <see cref="ResponseLastEventId"/> is the <c>Last-Event-ID</c> response header the spec
/// asks for: the id before the first event sent, or <c>earliest</c> when there is none to
/// name (earliest asked, or an id the hub does not know).
/// </summary>
/// <param name="Cursor">The Fanout cursor of the reserved topic to resume from; null: live.</param>
/// <param name="ResponseLastEventId">The value of the response's <c>Last-Event-ID</c> header.</param>
public sealed record MercureResume(string? Cursor, string ResponseLastEventId)
{
    public static async Task<MercureResume> ResolveAsync(string? lastEventId, FanoutHub hub, CancellationToken cancellationToken)
    {
        if (lastEventId is null)
        {
            return new MercureResume(null, MercureTopic.Earliest);
        }

        if (lastEventId == MercureTopic.Earliest)
        {
            var state = await hub.GetTopicStateAsync(MercureTopic.Name, cancellationToken);
            return new MercureResume(new TopicPosition(state.Epoch, state.FirstAvailableSeq - 1).ToString(), MercureTopic.Earliest);
        }

        var location = await hub.Topics.Ask<KeyLocation>(new LocateKey(MercureTopic.Name, lastEventId), hub.AskTimeout, cancellationToken);
        return location.Seq is { } seq
            ? new MercureResume(new TopicPosition(location.Epoch, seq).ToString(), lastEventId)
            : new MercureResume(null, MercureTopic.Earliest);
    }
}
