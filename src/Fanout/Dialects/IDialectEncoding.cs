using Fanout.Topics;

namespace Fanout.Dialects;

/// <summary>
/// How a dialect turns one event into what its subscribers share (its frame, and whatever
/// it filters on). <see cref="TopicEvent.FrameFor{TFrame}"/> calls it once per event on each
/// node and caches the result on the event; the instance is the cache's key, so a dialect
/// keeps one instance for all its subscribers.
/// </summary>
public interface IDialectEncoding<out TFrame>
    where TFrame : class
{
    TFrame Encode(TopicEvent evt);
}
