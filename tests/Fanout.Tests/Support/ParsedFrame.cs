using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Fanout.Sse;
using Xunit;

namespace Fanout.Tests.Support;

/// <summary>
/// One SSE frame as a standard client reads it (<see cref="SseParser"/>), so tests check
/// the wire format rather than our own encoder's idea of it.
/// </summary>
public sealed record ParsedFrame(string? Id, string EventType, string Data, TimeSpan? Retry)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    /// <summary>The seq of a single-topic cursor id (<c>epoch-seq</c>).</summary>
    public long Seq => Id is not null && Cursor.TryParsePosition(Id, out var position)
        ? position.Value.Seq
        : throw new InvalidOperationException($"Frame id '{Id}' is not a single-topic cursor.");

    public string Topic => Json.GetProperty("topic").GetString()!;

    public static ParsedFrame Of(SseFrame frame)
    {
        var bytes = Bytes(frame);
        var parser = SseParser.Create(new MemoryStream(bytes));
        var items = parser.Enumerate().ToList();
        var item = Assert.Single(items);
        return new ParsedFrame(item.EventId, item.EventType, item.Data, item.ReconnectionInterval);
    }

    public static byte[] Bytes(SseFrame frame) => [.. frame.Head ?? [], .. frame.Body];

    public static string Text(SseFrame frame) => Encoding.UTF8.GetString(Bytes(frame));
}
