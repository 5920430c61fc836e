using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Fanout.Sse;

/// <summary>
/// Encodes the frames of the Fanout SSE contract. Written by hand rather than with
/// <c>SseFormatter</c> because an event's id line and its body must be separate,
/// shareable buffers: the body is encoded once per event for every subscriber, the id
/// line differs between single-topic and multi-topic streams.
/// </summary>
public static class SseEncoder
{
    public const string ConnectedEvent = Fanout.Protocol.EventNames.Connected;
    public const string LaggedEvent = Fanout.Protocol.EventNames.Lagged;
    public const string ResetEvent = Fanout.Protocol.EventNames.Reset;
    public const string ShutdownEvent = Fanout.Protocol.EventNames.Shutdown;

    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static readonly JsonWriterOptions CompactJson = new() { Indented = false, SkipValidation = false };

    /// <summary>The shared comment frame sent when a stream has been idle for a heartbeat interval.</summary>
    public static readonly byte[] KeepAlive = Encoding.UTF8.GetBytes(": keepalive\n\n");

    public static byte[] IdLine(string cursor) => Encoding.UTF8.GetBytes($"id: {cursor}\n");

    /// <summary><c>event: type</c> and <c>data: json</c>; <paramref name="compactJson"/> holds no line break.</summary>
    public static byte[] EventBody(string type, ReadOnlySpan<byte> compactJson)
    {
        var typeBytes = Encoding.UTF8.GetByteCount(type);
        var buffer = new byte[7 + typeBytes + 1 + 6 + compactJson.Length + 2];
        var span = buffer.AsSpan();
        "event: "u8.CopyTo(span);
        var at = 7;
        at += Encoding.UTF8.GetBytes(type, span[at..]);
        span[at++] = (byte)'\n';
        "data: "u8.CopyTo(span[at..]);
        at += 6;
        compactJson.CopyTo(span[at..]);
        at += compactJson.Length;
        span[at++] = (byte)'\n';
        span[at] = (byte)'\n';
        return buffer;
    }

    /// <summary>The type of an <see cref="EventBody"/>: the text of its <c>event:</c> line.</summary>
    public static string TypeOf(ReadOnlySpan<byte> body)
    {
        var line = body[EventPrefix.Length..];
        return Encoding.UTF8.GetString(line[..line.IndexOf((byte)'\n')]);
    }

    /// <summary>The data of an <see cref="EventBody"/>: its <c>data:</c> line's JSON, as a view of <paramref name="body"/>.</summary>
    public static ReadOnlyMemory<byte> DataOf(byte[] body)
    {
        var start = EventPrefix.Length + body.AsSpan(EventPrefix.Length).IndexOf((byte)'\n') + 1 + DataPrefix.Length;
        return body.AsMemory(start, body.Length - start - 2);
    }

    public static byte[] Connected(int retryMillis, string node, IReadOnlyList<string> topics, bool resumed) =>
        Control(ConnectedEvent, retryMillis, w =>
        {
            w.WriteString("node", node);
            w.WriteStartArray("topics");
            foreach (var topic in topics)
            {
                w.WriteStringValue(topic);
            }

            w.WriteEndArray();
            w.WriteBoolean("resumed", resumed);
        });

    public static byte[] Lagged(string topic, long fromSeq, long toSeq) =>
        Control(LaggedEvent, null, w =>
        {
            w.WriteString("topic", topic);
            w.WriteNumber("dropped", toSeq - fromSeq + 1);
            w.WriteNumber("fromSeq", fromSeq);
            w.WriteNumber("toSeq", toSeq);
        });

    public static byte[] Reset(string topic, string reason) =>
        Control(ResetEvent, null, w =>
        {
            w.WriteString("topic", topic);
            w.WriteString("reason", reason);
        });

    public static byte[] Shutdown(int retryMillis, string node) =>
        Control(ShutdownEvent, retryMillis, w => w.WriteString("node", node));

    private static byte[] Control(string type, int? retryMillis, Action<Utf8JsonWriter> writeFields)
    {
        var json = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(json, CompactJson))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        var body = EventBody(type, json.WrittenSpan);
        if (retryMillis is null)
        {
            return body;
        }

        var retry = Encoding.UTF8.GetBytes($"retry: {retryMillis.Value}\n");
        return [.. retry, .. body];
    }
}
