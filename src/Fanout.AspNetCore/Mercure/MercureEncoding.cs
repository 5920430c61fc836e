using System.Globalization;
using System.Text;
using Fanout.Dialects;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.AspNetCore.Mercure;

/// <summary>One event of the reserved topic as every Mercure subscriber shares it: the update (null: not an update) and its SSE frame.</summary>
public sealed record MercureFrame(MercureUpdate? Update, SseFrame Frame);

/// <summary>
/// Decodes an event of the reserved topic and encodes its Mercure SSE frame, once per event
/// and node (cached on the event): <c>event:</c> for a type, <c>retry:</c> for a retry,
/// always <c>id:</c>, and one <c>data:</c> line per line of the data (CR LF, CR and LF all
/// end a line), so multi-line data arrives unchanged.
/// </summary>
public sealed class MercureEncoding : IDialectEncoding<MercureFrame>
{
    public static readonly MercureEncoding Instance = new();

    private static readonly MercureFrame NotAnUpdate = new(null, SseFrame.Of([]));

    private MercureEncoding()
    {
    }

    public MercureFrame Encode(TopicEvent evt)
    {
        if (evt.Type != MercureTopic.EventType || MercureUpdate.FromJson(evt.Data) is not { } update)
        {
            return NotAnUpdate;
        }

        return new MercureFrame(update, SseFrame.Of(Frame(update)));
    }

    public static byte[] Frame(MercureUpdate update)
    {
        var text = new StringBuilder(update.Data.Length + update.Id.Length + 32);
        if (!string.IsNullOrEmpty(update.Type))
        {
            text.Append("event: ").Append(update.Type).Append('\n');
        }

        if (update.Retry is { } retry and > 0)
        {
            text.Append("retry: ").Append(retry.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("id: ").Append(update.Id).Append('\n');
        var data = update.Data.AsSpan();
        while (true)
        {
            var end = data.IndexOfAny('\r', '\n');
            text.Append("data: ").Append(end < 0 ? data : data[..end]).Append('\n');
            if (end < 0)
            {
                break;
            }

            var next = data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? end + 2 : end + 1;
            data = data[next..];
        }

        return Encoding.UTF8.GetBytes(text.Append('\n').ToString());
    }
}
