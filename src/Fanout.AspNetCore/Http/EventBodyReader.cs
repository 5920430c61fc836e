using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Fanout.Topics;
using Microsoft.Net.Http.Headers;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Reads and validates publish bodies: JSON only, bounded in size, each event an object
/// with a required <c>data</c>, an optional <c>type</c> and an optional <c>key</c>.
/// </summary>
public static class EventBodyReader
{
    public const string DefaultType = "message";
    public const int MaxTypeLength = 100;
    public const int MaxKeyLength = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Indented = false,
        // Data goes into an SSE data line, never into HTML: keep non-ASCII text as UTF-8.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The body as bytes, or a problem (415 wrong type, 413 too large).</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType("Content-Type must be application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge($"Body is larger than {maxBytes} bytes."));
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, (int)(request.ContentLength ?? 4096) + 1));
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, Problems.TooLarge($"Body is larger than {maxBytes} bytes."));
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refused the body (too slow, cut short, malformed chunks): the client's fault, not ours.
            return (null, Problems.Problem(ex.StatusCode, "The request body could not be read.", ex.Message));
        }

        return (buffer.WrittenSpan.ToArray(), null);
    }

    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }

        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                   && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    public static (EventDraft? Draft, IResult? Problem) ParseOne(byte[] body)
    {
        if (!TryParseDocument(body, out var document, out var problem))
        {
            return (null, problem);
        }

        using (document)
        {
            return ParseEvent(document!.RootElement, null);
        }
    }

    public static (IReadOnlyList<EventDraft>? Drafts, IResult? Problem) ParseBatch(byte[] body, int maxEvents, int maxEventBytes)
    {
        if (!TryParseDocument(body, out var document, out var problem))
        {
            return (null, problem);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return (null, Problems.BadRequest("Batch body must be a JSON array of events."));
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                return (null, Problems.BadRequest("Batch is empty."));
            }

            if (count > maxEvents)
            {
                return (null, Problems.TooLarge($"Batch has more than {maxEvents} events."));
            }

            var drafts = new List<EventDraft>(count);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var (draft, eventProblem) = ParseEvent(element, index);
                if (eventProblem is not null)
                {
                    return (null, eventProblem);
                }

                if (draft!.Data.Length > maxEventBytes)
                {
                    return (null, Problems.TooLarge($"Event {index}: data is larger than {maxEventBytes} bytes."));
                }

                drafts.Add(draft);
                index++;
            }

            return (drafts, null);
        }
    }

    private static bool TryParseDocument(byte[] body, out JsonDocument? document, out IResult? problem)
    {
        document = null;

        // JSON text is UTF-8 (RFC 8259 §8.1). The parser does not check the bytes inside
        // strings, so invalid sequences and overlong encodings would pass it and fail later.
        if (!Utf8.IsValid(body))
        {
            problem = Problems.BadRequest(
                "Body is not valid UTF-8.", "It holds an invalid or overlong byte sequence; JSON text must be UTF-8 (RFC 8259 §8.1).");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            problem = Problems.BadRequest("Body is not valid JSON.", ex.Message);
            return false;
        }

        if (FindUnpairedSurrogate(body) is { } at)
        {
            document.Dispose();
            document = null;
            problem = Problems.BadRequest(
                "A JSON string holds an unpaired surrogate escape (\\uD800-\\uDFFF without its pair): it is not Unicode text.",
                $"At byte {at} of the body.");
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// The offset of the first string or property name whose escapes decode to a lone UTF-16
    /// surrogate (<c>"\ud800"</c>), which is valid JSON grammar but no text: reading it as a
    /// string throws. Null when every string is text. Only escaped strings are decoded.
    /// </summary>
    private static long? FindUnpairedSurrogate(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
        char[]? scratch = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                {
                    continue;
                }

                var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                if (scratch is null || scratch.Length < length)
                {
                    if (scratch is not null)
                    {
                        ArrayPool<char>.Shared.Return(scratch);
                    }

                    scratch = ArrayPool<char>.Shared.Rent(length);
                }

                try
                {
                    reader.CopyString(scratch);
                }
                catch (InvalidOperationException)
                {
                    // CopyString's one failure on a token already parsed: an unpaired surrogate.
                    return reader.TokenStartIndex;
                }
            }

            return null;
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<char>.Shared.Return(scratch);
            }
        }
    }

    private static (EventDraft? Draft, IResult? Problem) ParseEvent(JsonElement element, int? index)
    {
        var at = index is null ? string.Empty : $"Event {index}: ";
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, Problems.BadRequest($"{at}an event must be a JSON object with a 'data' field."));
        }

        string type = DefaultType;
        string? key = null;
        byte[]? data = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "data":
                    data = Compact(property.Value);
                    break;
                case "type":
                    if (property.Value.ValueKind != JsonValueKind.String || !IsValidType(property.Value.GetString()!))
                    {
                        return (null, Problems.BadRequest(
                            $"{at}'type' must be a string of 1-{MaxTypeLength} characters A-Z a-z 0-9 . _ - : / and may not start with 'fanout.'."));
                    }

                    type = property.Value.GetString()!;
                    break;
                case "key":
                    if (property.Value.ValueKind != JsonValueKind.String || !IsValidKey(property.Value.GetString()!))
                    {
                        return (null, Problems.BadRequest($"{at}'key' must be a string of 1-{MaxKeyLength} printable characters."));
                    }

                    key = property.Value.GetString();
                    break;
                default:
                    return (null, Problems.BadRequest($"{at}unknown field '{Truncate(property.Name)}'; an event has 'type', 'data' and 'key'."));
            }
        }

        if (data is null)
        {
            return (null, Problems.BadRequest($"{at}'data' is required."));
        }

        return (new EventDraft(type, data, key), null);
    }

    private static byte[] Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsValidType(string type) =>
        type.Length is > 0 and <= MaxTypeLength
        && !type.StartsWith("fanout.", StringComparison.Ordinal)
        && type.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or ':' or '/');

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && !key.Any(char.IsControl);

    private static string Truncate(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
