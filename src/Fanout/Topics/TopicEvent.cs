using Fanout.Dialects;
using Fanout.Mailbox;
using Fanout.Sse;

namespace Fanout.Topics;

/// <summary>
/// One published event as every subscriber receives it: its Fanout SSE frame, encoded once
/// by the topic and shared by reference. <see cref="IdLine"/> is the single-topic cursor
/// line (<c>id: epoch-seq</c>); <see cref="Body"/> holds the event and data lines. Another
/// dialect reads the event's <see cref="Type"/> and <see cref="Data"/> (views of the body,
/// no copy) and keeps its own frame in <see cref="FrameFor{TFrame}"/>, built once per event
/// on each node and shared by every subscriber of that dialect.
/// </summary>
public sealed record TopicEvent(string Topic, string Epoch, long Seq, byte[] IdLine, byte[] Body) : IDroppableMessage
{
    // Frames other dialects built for this event: an immutable list, replaced by CAS. Not
    // serialized: each node builds its own from the body.
    private DialectFrame? _frames;

    public int SizeInBytes => IdLine.Length + Body.Length;

    /// <summary>The event's type (the <c>event:</c> line of <see cref="Body"/>).</summary>
    public string Type => SseEncoder.TypeOf(Body);

    /// <summary>The event's data as compact UTF-8 JSON (the <c>data:</c> line of <see cref="Body"/>, without a copy).</summary>
    public ReadOnlyMemory<byte> Data => SseEncoder.DataOf(Body);

    /// <summary>
    /// This event's frame in the dialect <paramref name="encoding"/> names, built by it on
    /// first use and then shared: thread-safe, built at most once per event and node unless
    /// two subscribers race on the first use (then one result wins, both are equal).
    /// </summary>
    public TFrame FrameFor<TFrame>(IDialectEncoding<TFrame> encoding)
        where TFrame : class
    {
        while (true)
        {
            var head = Volatile.Read(ref _frames);
            for (var node = head; node is not null; node = node.Next)
            {
                if (ReferenceEquals(node.Encoding, encoding))
                {
                    return (TFrame)node.Frame;
                }
            }

            var built = encoding.Encode(this);
            if (Interlocked.CompareExchange(ref _frames, new DialectFrame(encoding, built, head), head) == head)
            {
                return built;
            }
        }
    }

    /// <summary>One cached frame and the ones cached before it.</summary>
    private sealed record DialectFrame(object Encoding, object Frame, DialectFrame? Next);
}
