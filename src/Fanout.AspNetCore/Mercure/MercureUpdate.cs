using System.Buffers;
using System.Text.Json;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// One Mercure update as Fanout keeps it: the data of one event of the reserved topic
/// <see cref="MercureTopic.Name"/>, as compact JSON
/// (<c>{"topics":[canonical, alternates…],"data":"…","private":true,"id":"…","type":"…","retry":3000}</c>;
/// <c>type</c> and <c>retry</c> only when given).
/// </summary>
public sealed record MercureUpdate(IReadOnlyList<string> Topics, string Data, bool Private, string Id, string? Type, ulong? Retry)
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Data.Length);
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteStartArray("topics");
            foreach (var topic in Topics)
            {
                json.WriteStringValue(topic);
            }

            json.WriteEndArray();
            json.WriteString("data", Data);
            json.WriteBoolean("private", Private);
            json.WriteString("id", Id);
            if (Type is not null)
            {
                json.WriteString("type", Type);
            }

            if (Retry is { } retry)
            {
                json.WriteNumber("retry", retry);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; null for anything else (a foreign event in the topic is skipped, not fatal).</summary>
    public static MercureUpdate? FromJson(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("topics", out var topicsElement) || topicsElement.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var topics = new List<string>(topicsElement.GetArrayLength());
            foreach (var topic in topicsElement.EnumerateArray())
            {
                topics.Add(topic.GetString() ?? string.Empty);
            }

            return new MercureUpdate(
                topics,
                root.TryGetProperty("data", out var data) ? data.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("private", out var isPrivate) && isPrivate.ValueKind == JsonValueKind.True,
                id.GetString()!,
                root.TryGetProperty("type", out var type) ? type.GetString() : null,
                root.TryGetProperty("retry", out var retry) && retry.TryGetUInt64(out var ms) ? ms : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
