namespace Fanout.Load.Subscribers;

/// <summary>
/// When a stream's bytes arrive, and how many SSE comment lines (<c>: keepalive</c>) came
/// with them: the longest silence between two arrivals (the first measured from the
/// start, when the response headers arrived) and the last arrival, so the silence up to
/// any later moment is known too. The SSE parser skips comments, so the bytes are scanned
/// as they pass: a comment is a line whose first byte is <c>:</c>. Comments in the first
/// read are part of the opening (nchan opens every stream with <c>: hi</c>), not keepalives,
/// and are not counted. No allocation per read.
/// </summary>
/// <remarks>
/// Written by the subscriber's read loop only (<see cref="OnBytes"/>); others read the
/// figures through <see cref="Volatile"/>, e.g. at the end of the hold while reads go on.
/// </remarks>
public sealed class SilenceMeter
{
    private long _lastMicros;
    private long _longestGapMicros;
    private long _comments;
    private bool _atLineStart = true;
    private bool _opened;

    public SilenceMeter(long startMicros)
    {
        StartMicros = startMicros;
        _lastMicros = startMicros;
    }

    public long StartMicros { get; }

    /// <summary>When bytes last arrived (the start, before any did).</summary>
    public long LastMicros => Volatile.Read(ref _lastMicros);

    /// <summary>The longest time between two arrivals, counting the start as the first.</summary>
    public long LongestGapMicros => Volatile.Read(ref _longestGapMicros);

    /// <summary>Comment lines received after the first read.</summary>
    public long Comments => Volatile.Read(ref _comments);

    /// <summary>The longest silence up to <paramref name="endMicros"/>: between arrivals, or from the last one to then.</summary>
    public long SilenceUntil(long endMicros) => Math.Max(LongestGapMicros, Math.Max(0, endMicros - LastMicros));

    public void OnBytes(ReadOnlySpan<byte> bytes, long nowMicros)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var gap = nowMicros - _lastMicros;
        if (gap > _longestGapMicros)
        {
            Volatile.Write(ref _longestGapMicros, gap);
        }

        Volatile.Write(ref _lastMicros, nowMicros);
        var comments = 0;
        if (_atLineStart && bytes[0] == (byte)':')
        {
            comments++;
        }

        // Lines end in \n, \r or \r\n; the byte after each end starts a line. Events carry a few
        // lines each, so this is a few vectorized searches per event, not a loop over its bytes.
        var rest = bytes;
        while (rest.IndexOfAny((byte)'\n', (byte)'\r') is var end and >= 0)
        {
            if (end + 1 < rest.Length && rest[end + 1] == (byte)':')
            {
                comments++;
            }

            rest = rest[(end + 1)..];
        }

        _atLineStart = bytes[^1] is (byte)'\n' or (byte)'\r';
        var opening = !_opened;
        _opened = true;
        if (comments > 0 && !opening)
        {
            Volatile.Write(ref _comments, _comments + comments);
        }
    }
}
