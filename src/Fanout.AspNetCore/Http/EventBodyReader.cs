using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Fanout.Topics;
using Microsoft.Net.Http.Headers;
using Fanout.Protocol;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Reads and validates publish bodies: JSON only, bounded in size, each event an object
/// with a required <c>data</c>, an optional <c>type</c> and an optional <c>key</c>.
/// </summary>
public static class EventBodyReader
{
    public const string DefaultType = EventNames.DefaultType;
    public const int MaxTypeLength = EventFields.MaxTypeLength;
    public const int MaxKeyLength = EventFields.MaxKeyLength;

    private const int MaxRetainedCompactBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? compactBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? compactWriter;

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
            return (null, Problems.UnsupportedMediaType(ProblemTitles.ContentTypeNotJson));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge(ProblemTitles.BodyTooLarge(maxBytes)));
        }

        try
        {
            return request.ContentLength is { } length
                ? (await ReadKnownLengthAsync(request.Body, (int)length, cancellationToken), null)
                : await ReadChunkedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refused the body (too slow, cut short, malformed chunks): the client's fault, not ours.
            return (null, Problems.Problem(ex.StatusCode, ProblemTitles.BodyUnreadable, ex.Message));
        }
    }

    /// <summary>
    /// A body with a Content-Length (checked against the bound above) goes straight into one
    /// array of that size: no growing buffer and no copy, one allocation per publish. Kestrel
    /// never yields more than the declared length and throws when the body ends short.
    /// </summary>
    private static async Task<byte[]> ReadKnownLengthAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = await body.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false, cancellationToken);
        return read == length ? buffer : buffer[..read];
    }

    private static async Task<(byte[]? Body, IResult? Problem)> ReadChunkedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, 4096));
        while (true)
        {
            var memory = buffer.GetMemory(Math.Min(maxBytes + 1 - buffer.WrittenCount, 4096));
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return (buffer.WrittenSpan.ToArray(), null);
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return (null, Problems.TooLarge(ProblemTitles.BodyTooLarge(maxBytes)));
            }
        }
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
                return (null, Problems.BadRequest(ProblemTitles.BatchNotArray));
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                return (null, Problems.BadRequest(ProblemTitles.BatchEmpty));
            }

            if (count > maxEvents)
            {
                return (null, Problems.TooLarge(ProblemTitles.BatchTooLong(maxEvents)));
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
                    return (null, Problems.TooLarge(ProblemTitles.EventDataTooLarge(index, maxEventBytes)));
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
                ProblemTitles.BodyNotUtf8, "It holds an invalid or overlong byte sequence; JSON text must be UTF-8 (RFC 8259 §8.1).");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            problem = Problems.BadRequest(ProblemTitles.BodyNotJson, ex.Message);
            return false;
        }

        if (FindUnpairedSurrogate(body) is { } at)
        {
            document.Dispose();
            document = null;
            problem = Problems.BadRequest(
                ProblemTitles.UnpairedSurrogate,
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
            return (null, Problems.BadRequest(ProblemTitles.EventNotObject(at)));
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
                    if (property.Value.ValueKind != JsonValueKind.String || !EventFields.IsValidType(property.Value.GetString()))
                    {
                        return (null, Problems.BadRequest(ProblemTitles.InvalidType(at)));
                    }

                    type = property.Value.GetString()!;
                    break;
                case "key":
                    if (property.Value.ValueKind != JsonValueKind.String || !EventFields.IsValidKey(property.Value.GetString()))
                    {
                        return (null, Problems.BadRequest(ProblemTitles.InvalidKey(at)));
                    }

                    key = property.Value.GetString();
                    break;
                default:
                    return (null, Problems.BadRequest(ProblemTitles.UnknownField(Truncate(property.Name), at)));
            }
        }

        if (data is null)
        {
            return (null, Problems.BadRequest(ProblemTitles.DataRequired(at)));
        }

        return (new EventDraft(type, data, key), null);
    }

    private static byte[] Compact(JsonElement value)
    {
        // One buffer and writer per thread, reset per event: the only allocation left is the
        // data's own array, which the event keeps.
        var buffer = compactBuffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = compactWriter ??= new Utf8JsonWriter(buffer, CompactWriter);
        try
        {
            value.WriteTo(writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            if (buffer.Capacity > MaxRetainedCompactBytes)
            {
                // A large batch event must not stay pinned to the thread.
                compactBuffer = null;
                compactWriter = null;
            }
        }
    }

    private static string Truncate(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
