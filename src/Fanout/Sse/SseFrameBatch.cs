namespace Fanout.Sse;

/// <summary>
/// Frames that were ready together: whoever writes them to a client writes them all and
/// flushes once. The array may be longer than <see cref="Count"/>.
/// </summary>
public sealed class SseFrameBatch(SseFrame[] frames, int count, int bytes)
{
    public int Count { get; } = count;

    /// <summary>Encoded bytes of every frame in the batch.</summary>
    public int Bytes { get; } = bytes;

    public ReadOnlySpan<SseFrame> Frames => frames.AsSpan(0, Count);

    public ArraySegment<SseFrame> AsSegment() => new(frames, 0, Count);
}
