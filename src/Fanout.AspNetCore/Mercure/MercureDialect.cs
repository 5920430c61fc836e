using Fanout.Dialects;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// One Mercure subscriber's view of the reserved topic: an update reaches it when one of
/// its topics (canonical or alternate) matches one of the subscriber's selectors and, for a
/// private update, one of its topics matches one of the token's <c>mercure.subscribe</c>
/// selectors. Mercure clients know no lagged or reset event: a gap ends the stream (the
/// client reconnects with its Last-Event-ID and replays the rest from history), a reset
/// is skipped.
/// </summary>
public sealed class MercureDialect(IReadOnlyList<string> selectors, IReadOnlyList<string> privateSelectors, TopicSelectors matcher)
    : IEventDialect
{
    /// <summary>The first bytes of a stream: a comment, so headers and a first write leave at once.</summary>
    private static readonly SseFrame Opening = SseFrame.Of(":\n"u8.ToArray());

    public GapPolicy Gaps => GapPolicy.EndStream;

    public bool ReportsResets => false;

    public SseFrame? Connected(SubscriptionStart start) => Opening;

    public SseFrame? Frame(TopicEvent evt)
    {
        var encoded = evt.FrameFor(MercureEncoding.Instance);
        return encoded.Update is { } update && Receives(update) ? encoded.Frame : null;
    }

    /// <summary>Whether this subscriber gets <paramref name="update"/> (subscribed to one of its topics, and allowed to if private).</summary>
    public bool Receives(MercureUpdate update) =>
        matcher.MatchesAny(update.Topics, selectors)
        && (!update.Private || matcher.MatchesAny(update.Topics, privateSelectors));
}
