using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Fanout.Security.Tests;

/// <summary>Generators of hostile input: random text, JSON (valid and broken), topic names, headers, cursors, raw requests.</summary>
public static class FuzzGen
{
    public const string TopicChars = "abcxyzABC0129._-/:";

    private const string Nasty = "%2F%2f?#&= \t*\\\"'<>{}|^~`[]éüß漢🙂\u0000\u007f";
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

    private static readonly string Printable = new([.. Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c)]);

    /// <summary>Any UTF-16 text, lone surrogates included.</summary>
    public static readonly Gen<string> AnyText = Gen.Char.Array[0, 40].Select(chars => new string(chars));

    public static readonly Gen<string> PrintableText = Text(Printable, 0, 120);

    /// <summary>
    /// A <c>\uXXXX</c> escape that is valid JSON grammar but no Unicode text: a lone high or
    /// low surrogate, or a pair in the wrong order. (<see cref="Quote"/> never writes one: the
    /// serializer replaces lone surrogates with U+FFFD.)
    /// </summary>
    public static readonly Gen<string> BrokenSurrogateEscape = Gen.Frequency(
        (2, Gen.Int[0xD800, 0xDBFF].Select(c => $"\\u{c:x4}")),
        (2, Gen.Int[0xDC00, 0xDFFF].Select(c => $"\\u{c:X4}")),
        (1, Gen.Select(Gen.Int[0xD800, 0xDBFF], Gen.Int[0xDC00, 0xDFFF], (high, low) => $"\\u{low:x4}\\u{high:x4}")));

    /// <summary>A JSON string literal: mostly well-formed text, sometimes with a broken surrogate escape spliced in.</summary>
    public static readonly Gen<string> JsonString = Gen.Frequency(
        (5, AnyText.Select(Quote)),
        (1, Gen.Select(AnyText, BrokenSurrogateEscape, Gen.Int[0, 40], (text, escape, at) =>
        {
            var quoted = Quote(text);

            // After the opening quote and before the closing one, never inside another escape.
            var inside = quoted[1..^1];
            var cut = SafeCut(inside, at);
            return "\"" + inside[..cut] + escape + inside[cut..] + "\"";
        })));

    /// <summary>
    /// Byte sequences no UTF-8 decoder may accept: stray continuation and invalid lead bytes,
    /// overlong encodings (of '/', of U+0000, of a 3-byte char), UTF-8-encoded surrogates,
    /// code points above U+10FFFF, and sequences cut short.
    /// </summary>
    public static readonly Gen<byte[]> InvalidUtf8 = Gen.OneOf<byte[]>(
        [0x80], [0xBF], [0xFF], [0xFE], [0xC0, 0xAF], [0xC1, 0xBF], [0xC0, 0x80], [0xE0, 0x80, 0xAF],
        [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0xAF], [0xF0, 0x8F, 0xBF, 0xBF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x99]);

    public static readonly Gen<string> JsonScalar = Gen.OneOf(
        Gen.Const("null"),
        Gen.Bool.Select(b => b ? "true" : "false"),
        Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e308"),
        JsonString);

    /// <summary>Well-formed JSON of any shape, nested up to three levels.</summary>
    public static readonly Gen<string> Json = Gen.Recursive<string>((depth, self) => depth >= 3
        ? JsonScalar
        : Gen.Frequency(
            (4, JsonScalar),
            (1, self.Array[0, 5].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(JsonString, self, (k, v) => k + ":" + v).Array[0, 5].Select(pairs => "{" + string.Join(",", pairs) + "}"))));

    private static readonly Gen<string> EventType = Gen.Frequency(
        (2, Text("abc.xyz:_-/", 1, 12)),
        (1, Gen.OneOf(Gen.Const("fanout.connected"), Gen.Const(""), Gen.Const(new string('t', 101)))),
        (1, AnyText));

    private static readonly Gen<string> EventField = Gen.Frequency(
        (4, Json.Select(v => "\"data\":" + v)),
        (2, EventType.Select(t => "\"type\":" + Quote(t))),
        (1, Json.Select(v => "\"type\":" + v)),
        (1, JsonString.Select(k => "\"key\":" + k)),
        (1, Gen.Select(JsonString, Json, (k, v) => k + ":" + v)));

    /// <summary>Objects shaped roughly like an event: fields data/type/key in any mix, sometimes more.</summary>
    public static readonly Gen<string> EventLike = EventField.Array[0, 4].Select(fields => "{" + string.Join(",", fields) + "}");

    /// <summary>Event-like or arbitrary JSON, sometimes broken by a cut or a stray character.</summary>
    public static readonly Gen<string> EventBody = Gen.Select(
        Gen.Frequency((3, EventLike), (1, Json), (1, EventLike.Array[0, 7].Select(e => "[" + string.Join(",", e) + "]"))),
        Gen.Int[0, 3],
        Gen.Int[0, 10_000],
        Gen.Char,
        Break);

    /// <summary>
    /// <see cref="EventBody"/> as UTF-8 with an invalid sequence spliced in, most often just
    /// after a quote (inside a string, where a JSON parser does not look at the bytes).
    /// </summary>
    public static readonly Gen<byte[]> EventBodyWithInvalidUtf8 = Gen.Select(EventBody, InvalidUtf8, Gen.Int[0, 10_000], Gen.Bool, (json, bad, at, afterQuote) =>
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToArray();
        var cut = afterQuote && quotes.Length > 0 ? quotes[at % quotes.Length] + 1 : at % (bytes.Length + 1);
        return bytes[..cut].Concat(bad).Concat(bytes[cut..]).ToArray();
    });

    public static readonly Gen<string> ContentType = Gen.Frequency(
        (4, Gen.Const("application/json")),
        (1, Gen.OneOf(Gen.Const("application/json; charset=utf-16"), Gen.Const("application/cloudevents+json"), Gen.Const("text/plain"), Gen.Const("application/x-www-form-urlencoded"), Gen.Const("multipart/form-data; boundary=x"))),
        (1, PrintableText));

    /// <summary>Topic-like names: valid-looking segments with traps, or any text.</summary>
    public static readonly Gen<string> TopicName = Gen.Frequency(
        (3, Text(TopicChars, 0, 60)),
        (1, Text(TopicChars + Nasty, 0, 60)),
        (1, Gen.OneOf(Gen.Const("a/events"), Gen.Const("a/events:batch"), Gen.Const("a/../b"), Gen.Const("/a"), Gen.Const("a/"), Gen.Const(new string('x', 201)))),
        (1, AnyText));

    public static readonly Gen<string> LastEventId = Gen.Frequency(
        (2, PrintableText),
        (2, Gen.Select(Text("abcz0189", 0, 40), Gen.Long, (e, s) => $"{e}-{s}").Array[1, 4].Select(parts => string.Join("_", parts))),
        (1, Gen.OneOf(Gen.Const("-"), Gen.Const("_"), Gen.Const("a-"), Gen.Const("-1"), Gen.Const("a-99999999999999999999999"), Gen.Const("a-1_"), Gen.Const(new string('a', 5000)))));

    private static readonly Gen<string> HeaderName = Gen.Frequency(
        (3, Gen.OneOf(Gen.Const("Authorization"), Gen.Const("Content-Type"), Gen.Const("Last-Event-ID"), Gen.Const("Cookie"),
            Gen.Const("Accept"), Gen.Const("Accept-Encoding"), Gen.Const("Origin"), Gen.Const("X-Forwarded-For"), Gen.Const("Range"))),
        (1, Text(TokenChars, 1, 30)));

    private static readonly Gen<string> HeaderValue = Gen.Frequency(
        (3, PrintableText),
        (1, PrintableText.Select(t => "Bearer " + t)),
        (1, PrintableText.Select(t => "access_token=" + t)),
        (1, Text("abcdefghijklmnopqrstuvwxyz0123456789-_.", 0, 400).Select(t => "Bearer " + t)));

    public static readonly Gen<(string Name, string Value)[]> Headers = Gen.Select(HeaderName, HeaderValue).Array[0, 6];

    /// <summary>A raw request: pure noise, or a request line and headers of random bytes, then a random body.</summary>
    public static readonly Gen<byte[]> RawRequest = Gen.Frequency(
        (1, Gen.Byte.Array[0, 2000]),
        (3, Gen.Select(
            Gen.Frequency((4, Gen.OneOf(Gen.Const("GET"), Gen.Const("POST"), Gen.Const("PUT"), Gen.Const("OPTIONS"), Gen.Const("HEAD"))), (1, Text(Printable, 0, 10))),
            Gen.Frequency((3, TopicName.Select(t => "/topics/" + t + "/events")), (1, Gen.Const("/events?topic=public/a")), (1, Text(Printable, 0, 80))),
            Gen.Frequency((4, Gen.Const("HTTP/1.1")), (1, Gen.OneOf(Gen.Const("HTTP/1.0"), Gen.Const("HTTP/2"), Gen.Const("HTTP/9.9"), Gen.Const("")))),
            Gen.Select(
                Gen.Frequency((3, Gen.OneOf(Gen.Const("Content-Length"), Gen.Const("Transfer-Encoding"), Gen.Const("Host"), Gen.Const("Content-Type"),
                    Gen.Const("Authorization"), Gen.Const("Last-Event-ID"), Gen.Const("Connection"), Gen.Const("Upgrade"), Gen.Const("Expect"))), (1, Text(Printable, 0, 20))),
                Gen.Byte.Array[0, 60]).Array[0, 8],
            Gen.Byte.Array[0, 300],
            (method, path, version, headers, body) =>
            {
                var request = new List<byte>();
                request.AddRange(Encoding.Latin1.GetBytes($"{method} {path} {version}\r\nHost: 127.0.0.1\r\n"));
                foreach (var (name, value) in headers)
                {
                    request.AddRange(Encoding.Latin1.GetBytes(name + ": "));
                    request.AddRange(value);
                    request.AddRange("\r\n"u8.ToArray());
                }

                request.AddRange("\r\n"u8.ToArray());
                request.AddRange(body);
                return request.ToArray();
            })));

    public static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>A cut point in quoted text that does not split a backslash escape.</summary>
    private static int SafeCut(string quotedInside, int at)
    {
        var cut = at % (quotedInside.Length + 1);
        for (var i = 0; i < quotedInside.Length; i++)
        {
            if (quotedInside[i] != '\\')
            {
                continue;
            }

            var end = i + (quotedInside[i + 1] == 'u' ? 6 : 2);
            if (cut > i && cut < end)
            {
                return end;
            }

            i = end - 1;
        }

        return cut;
    }

    private static Gen<string> Text(string alphabet, int min, int max) =>
        Gen.Char[alphabet].Array[min, max].Select(chars => new string(chars));

    private static string Break(string json, int how, int at, char stray) => how switch
    {
        1 => json[..(at % (json.Length + 1))],
        2 => json.Insert(at % (json.Length + 1), stray.ToString()),
        _ => json,
    };
}
