using System.Buffers.Text;

namespace Fanout.Load;

/// <summary>
/// The payload every event carries: <c>fl:SEQ:MICROS:</c> padded with 'x' to the asked
/// size. Plain ASCII without quotes or backslashes, so it passes unchanged through a JSON
/// string (Fanout) or a raw body (nchan) and can be found in any SSE data line.
/// </summary>
public static class Payload
{
    /// <summary>Longest header: marker, two 19-digit numbers, three separators.</summary>
    public const int MaxHeaderBytes = 3 + 19 + 1 + 19 + 1;

    private static ReadOnlySpan<byte> Marker => "fl:"u8;

    /// <summary>Writes the payload into <paramref name="destination"/>, exactly its length.</summary>
    public static void Write(Span<byte> destination, long seq, long sentMicros)
    {
        Marker.CopyTo(destination);
        var at = Marker.Length;
        Utf8Formatter.TryFormat(seq, destination[at..], out var written);
        at += written;
        destination[at++] = (byte)':';
        Utf8Formatter.TryFormat(sentMicros, destination[at..], out written);
        at += written;
        destination[at++] = (byte)':';
        destination[at..].Fill((byte)'x');
    }

    /// <summary>Finds the payload in an SSE data line and reads its seq and send time.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out long seq, out long sentMicros)
    {
        seq = 0;
        sentMicros = 0;
        var start = data.IndexOf(Marker);
        if (start < 0)
        {
            return false;
        }

        var rest = data[(start + Marker.Length)..];
        if (!Utf8Parser.TryParse(rest, out seq, out var used) || used >= rest.Length || rest[used] != ':')
        {
            return false;
        }

        rest = rest[(used + 1)..];
        return Utf8Parser.TryParse(rest, out sentMicros, out used) && used < rest.Length && rest[used] == ':';
    }
}
