namespace Fanout.Topics;

/// <summary>
/// One accepted event as the journal keeps it: the event itself, not its SSE bytes (frames
/// are encoded from it when it is applied, after a write or during recovery). The
/// journal's persistence id is the topic and its sequence number is <see cref="Seq"/>;
/// every record carries the topic's <see cref="Epoch"/>, so a topic recovers its epoch
/// from whatever rows retention left (the newest row is never deleted).
/// </summary>
/// <param name="Data">Compact UTF-8 JSON.</param>
/// <param name="AcceptedAtMs">When the topic accepted it, Unix milliseconds (for the age bound).</param>
public sealed record TopicEventRecord(
    string Topic,
    string Epoch,
    long Seq,
    string Type,
    byte[] Data,
    string? Key,
    long AcceptedAtMs);
