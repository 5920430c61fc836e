using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// One active Mercure subscription (one selector of one subscriber), as the subscriptions
/// API lists it and its events announce it. <see cref="Payload"/> is the token's
/// <c>mercure.payload</c> as JSON text, if any.
/// </summary>
public sealed record MercureSubscription(string Subscriber, string Topic, string? Payload)
{
    public const string Context = "https://mercure.rocks/";
    public const string CollectionPath = MercureEndpoints.Path + "/subscriptions";

    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Its IRI and the topic of its events: <c>/.well-known/mercure/subscriptions/{topic}/{subscriber}</c>,
    /// both percent-encoded as the hub does (query escaping).
    /// </summary>
    public string Id => CollectionPath + "/" + Escape(Topic) + "/" + Escape(Subscriber);

    /// <summary>Query escaping as Go's <c>url.QueryEscape</c> (space as '+', every reserved character encoded).</summary>
    public static string Escape(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length * 2);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                escaped.Append(c);
            }
            else if (c == ' ')
            {
                escaped.Append('+');
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    /// <summary>The JSON-LD document (the spec's subscription document).</summary>
    public byte[] ToJson(bool active, bool withContext, string? lastEventId = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            Write(json, active, withContext, lastEventId);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter json, bool active, bool withContext, string? lastEventId = null)
    {
        json.WriteStartObject();
        if (withContext)
        {
            json.WriteString("@context", Context);
        }

        json.WriteString("id", Id);
        json.WriteString("type", "Subscription");
        json.WriteString("subscriber", Subscriber);
        json.WriteString("topic", Topic);
        json.WriteBoolean("active", active);
        if (lastEventId is not null)
        {
            json.WriteString("lastEventID", lastEventId);
        }

        if (Payload is not null)
        {
            json.WritePropertyName("payload");
            json.WriteRawValue(Payload);
        }

        json.WriteEndObject();
    }
}
