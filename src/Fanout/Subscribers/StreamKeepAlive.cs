using System.Diagnostics;
using System.Threading.Channels;
using Fanout.Sse;

namespace Fanout.Subscribers;

/// <summary>
/// When a subscriber's stream was last written to, and the keepalive comment that goes
/// into it when it has been quiet. The subscriber actor marks its own writes; the node's
/// <see cref="HeartbeatWheel"/> asks <see cref="BeatIfQuiet"/> from its timer thread. A
/// comment may land between two frames the actor writes: SSE frames are independent, so
/// that is harmless. A stream that is full (a stalled client) takes no comment: it has
/// frames waiting already.
/// </summary>
public sealed class StreamKeepAlive(ChannelWriter<SseFrame> frames)
{
    private static readonly SseFrame Comment = SseFrame.Of(SseEncoder.KeepAlive);
    private long _lastWrite = Stopwatch.GetTimestamp();

    /// <summary>The wheel slot this stream is in (-1: none), so leaving the wheel searches that slot only.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>Called by the stream's writer after each successful write.</summary>
    public void Written() => Written(Stopwatch.GetTimestamp());

    /// <summary>A write at <paramref name="at"/> (a Stopwatch timestamp).</summary>
    internal void Written(long at) => Volatile.Write(ref _lastWrite, at);

    /// <summary>Writes a comment when nothing was written for <paramref name="quietTicks"/> (Stopwatch ticks) before <paramref name="now"/>.</summary>
    /// <returns>Whether a comment was written.</returns>
    public bool BeatIfQuiet(long now, long quietTicks)
    {
        if (now - Volatile.Read(ref _lastWrite) < quietTicks || !frames.TryWrite(Comment))
        {
            return false;
        }

        // Stamped with the wheel's clock, so the next visits measure from the same time.
        Written(now);
        return true;
    }
}
