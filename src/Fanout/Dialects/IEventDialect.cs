using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Dialects;

/// <summary>
/// How one subscriber's stream speaks when it is not Fanout's own contract (a
/// <see cref="Subscribers.SubscriptionRequest"/> without a dialect gets Fanout's frames).
/// The subscriber actor still owns positions, replay and resume; the dialect only says
/// what goes on the wire: the first frame, each event's frame or nothing (a filter), and
/// what a gap or a reset turns into. Called from the subscriber actor only, one event at a
/// time; shared encodings belong in an <see cref="IDialectEncoding{TFrame}"/>.
/// </summary>
public interface IEventDialect
{
    /// <summary>What a run of events this subscriber will not get (mailbox drops, history that moved on) turns into.</summary>
    GapPolicy Gaps { get; }

    /// <summary>Whether the stream carries <c>fanout.reset</c> frames; when false a reset is skipped silently.</summary>
    bool ReportsResets { get; }

    /// <summary>The first frame once the subscription is attached, or null for none.</summary>
    SseFrame? Connected(SubscriptionStart start);

    /// <summary>
    /// This subscriber's frame for <paramref name="evt"/>, or null when it is not for it
    /// (filtered out: its seq still counts as seen, so no gap is reported for it).
    /// </summary>
    SseFrame? Frame(TopicEvent evt);
}

/// <summary>What a dialect's stream does about events its subscriber lost.</summary>
public enum GapPolicy
{
    /// <summary>A <c>fanout.lagged</c> frame in place of the run (Fanout's contract).</summary>
    Report,

    /// <summary>
    /// The stream ends right after the last event before the gap, so a client that knows no
    /// lagged event reconnects with its last id and replays the rest from history.
    /// </summary>
    EndStream,
}

/// <summary>What the stream starts with: this node, the subscription's topics, and whether its cursor was honoured.</summary>
public sealed record SubscriptionStart(string Node, IReadOnlyList<string> Topics, bool Resumed);
