using System.Text;

namespace Fanout.Load.Publishing;

/// <summary>
/// A publish request template, split once at its placeholders so each event only copies
/// bytes: the URL may name <c>{seq}</c>, the body <c>{seq}</c> and <c>{payload}</c>.
/// <c>{channel}</c>, percent-encoded wherever it stands, is fixed per run and replaced up
/// front, unless the run spreads its events over several topics (<see cref="TopicSpread"/>):
/// then every <c>{channel}</c>, in the URL and in the body, is each event's topic (a Mercure
/// publish names its topic in the form body).
/// </summary>
public sealed class RequestTemplate
{
    private static readonly string[] Holes = [Placeholders.Payload, Placeholders.Seq, Placeholders.Channel];

    private readonly string _url;
    private readonly string _channel;
    private readonly int _topics;
    private readonly bool _urlHasSeq;
    private readonly byte[][] _bodyParts;
    private readonly string[] _bodyHoles;
    private readonly int _payloadBytes;

    public RequestTemplate(string urlTemplate, string bodyTemplate, string channel, int payloadBytes, int topics = 1)
    {
        _channel = channel;
        _topics = topics;
        _url = topics <= 1 ? urlTemplate.Replace(Placeholders.Channel, Uri.EscapeDataString(channel), StringComparison.Ordinal) : urlTemplate;
        _urlHasSeq = _url.Contains(Placeholders.Seq, StringComparison.Ordinal);
        _payloadBytes = payloadBytes;

        var body = topics <= 1 ? bodyTemplate.Replace(Placeholders.Channel, Uri.EscapeDataString(channel), StringComparison.Ordinal) : bodyTemplate;
        var parts = new List<byte[]>();
        var holes = new List<string>();
        var at = 0;
        while (NextHole(body, at, out var index, out var hole))
        {
            parts.Add(Encoding.UTF8.GetBytes(body[at..index]));
            holes.Add(hole);
            at = index + hole.Length;
        }

        parts.Add(Encoding.UTF8.GetBytes(body[at..]));
        _bodyParts = parts.ToArray();
        _bodyHoles = holes.ToArray();
    }

    public Uri Url(long seq)
    {
        var url = _topics <= 1
            ? _url
            : _url.Replace(Placeholders.Channel, Uri.EscapeDataString(TopicSpread.ChannelOf(_channel, _topics, seq)), StringComparison.Ordinal);
        return new(_urlHasSeq ? url.Replace(Placeholders.Seq, seq.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) : url);
    }

    /// <summary>The body of event <paramref name="seq"/>, its payload stamped with <paramref name="sentMicros"/>.</summary>
    public byte[] Body(long seq, long sentMicros)
    {
        var seqText = Encoding.ASCII.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var channelText = _topics <= 1 ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(Uri.EscapeDataString(TopicSpread.ChannelOf(_channel, _topics, seq)));
        var length = 0;
        foreach (var part in _bodyParts)
        {
            length += part.Length;
        }

        foreach (var hole in _bodyHoles)
        {
            length += hole switch
            {
                Placeholders.Payload => _payloadBytes,
                Placeholders.Seq => seqText.Length,
                _ => channelText.Length,
            };
        }

        var body = new byte[length];
        var span = body.AsSpan();
        var offset = 0;
        for (var i = 0; i < _bodyParts.Length; i++)
        {
            _bodyParts[i].CopyTo(span[offset..]);
            offset += _bodyParts[i].Length;
            if (i == _bodyHoles.Length)
            {
                break;
            }

            if (_bodyHoles[i] == Placeholders.Payload)
            {
                Payload.Write(span.Slice(offset, _payloadBytes), seq, sentMicros);
                offset += _payloadBytes;
            }
            else
            {
                var text = _bodyHoles[i] == Placeholders.Seq ? seqText : channelText;
                text.CopyTo(span[offset..]);
                offset += text.Length;
            }
        }

        return body;
    }

    /// <summary>Events <paramref name="firstSeq"/>.. as one JSON array of <paramref name="count"/> bodies (the batch endpoint's shape).</summary>
    public byte[] BatchBody(long firstSeq, int count, long sentMicros)
    {
        var items = new byte[count][];
        var length = 2 + Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
        {
            items[i] = Body(firstSeq + i, sentMicros);
            length += items[i].Length;
        }

        var body = new byte[length];
        body[0] = (byte)'[';
        var offset = 1;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                body[offset++] = (byte)',';
            }

            items[i].CopyTo(body, offset);
            offset += items[i].Length;
        }

        body[offset] = (byte)']';
        return body;
    }

    /// <summary>The first placeholder at or after <paramref name="from"/> (a <c>{channel}</c> left in the body is one: the run spreads topics).</summary>
    private static bool NextHole(string text, int from, out int index, out string hole)
    {
        index = -1;
        hole = string.Empty;
        foreach (var candidate in Holes)
        {
            var at = text.IndexOf(candidate, from, StringComparison.Ordinal);
            if (at >= 0 && (index < 0 || at < index))
            {
                (index, hole) = (at, candidate);
            }
        }

        return index >= 0;
    }
}
