using Fanout.Mailbox;

namespace Fanout.Topics;

/// <summary>
/// One published event as every subscriber receives it: its SSE frame, encoded once by
/// the topic and shared by reference. <see cref="IdLine"/> is the single-topic cursor
/// line (<c>id: epoch-seq</c>); <see cref="Body"/> holds the event and data lines.
/// </summary>
public sealed record TopicEvent(string Topic, string Epoch, long Seq, byte[] IdLine, byte[] Body) : IDroppableMessage
{
    public int SizeInBytes => IdLine.Length + Body.Length;
}
