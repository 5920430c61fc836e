using System.Text.Json;

namespace Fanout.Load.Subscribers;

public enum ItemKind
{
    /// <summary>A published event: carries the payload's seq and send time.</summary>
    Event,

    /// <summary><c>fanout.lagged</c>: the server dropped <c>fromSeq..toSeq</c> for this subscriber.</summary>
    Lagged,

    /// <summary><c>fanout.reset</c>: the server could not honour the position.</summary>
    Reset,

    /// <summary>Anything else (<c>fanout.connected</c>, unknown types).</summary>
    Other,
}

/// <summary>What one SSE event told a subscriber, read straight from the data bytes (no string per event).</summary>
public readonly record struct ReceivedItem(ItemKind Kind, long Seq, long SentMicros, long FromSeq, long ToSeq)
{
    public const string LaggedType = "fanout.lagged";
    public const string ResetType = "fanout.reset";

    /// <summary>The <see cref="System.Net.ServerSentEvents.SseItemParser{T}"/> of the tool.</summary>
    public static ReceivedItem Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (Payload.TryRead(data, out var seq, out var sentMicros))
        {
            return new ReceivedItem(ItemKind.Event, seq, sentMicros, 0, 0);
        }

        return eventType switch
        {
            LaggedType => ParseLagged(data),
            ResetType => new ReceivedItem(ItemKind.Reset, 0, 0, 0, 0),
            _ => new ReceivedItem(ItemKind.Other, 0, 0, 0, 0),
        };
    }

    private static ReceivedItem ParseLagged(ReadOnlySpan<byte> data)
    {
        long from = 0, to = 0;
        var reader = new Utf8JsonReader(data);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                var isFrom = reader.ValueTextEquals("fromSeq"u8);
                var isTo = reader.ValueTextEquals("toSeq"u8);
                reader.Read();
                if (isFrom)
                {
                    from = reader.GetInt64();
                }
                else if (isTo)
                {
                    to = reader.GetInt64();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return new ReceivedItem(ItemKind.Other, 0, 0, 0, 0);
        }

        return from > 0 && to >= from
            ? new ReceivedItem(ItemKind.Lagged, 0, 0, from, to)
            : new ReceivedItem(ItemKind.Other, 0, 0, 0, 0);
    }
}
