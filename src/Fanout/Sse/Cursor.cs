using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fanout.Sse;

/// <summary>A position in one topic: the topic incarnation (epoch) and the last seq seen.</summary>
public readonly record struct TopicPosition(string Epoch, long Seq)
{
    public override string ToString() => $"{Epoch}-{Seq}";
}

/// <summary>
/// The opaque SSE event id. A stream of one topic uses <c>epoch-seq</c>; a stream of
/// several topics joins one position per topic, in the subscription's topic order, with
/// '_' (<c>e1-s1_e2-s2</c>). Epochs are lower-case letters and digits.
/// </summary>
public static class Cursor
{
    public const int MaxEpochLength = 32;

    public static string Format(IReadOnlyList<TopicPosition> positions)
    {
        if (positions.Count == 1)
        {
            return positions[0].ToString();
        }

        var builder = new StringBuilder(positions.Count * 16);
        for (var i = 0; i < positions.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('_');
            }

            builder.Append(positions[i].Epoch).Append('-').Append(positions[i].Seq);
        }

        return builder.ToString();
    }

    /// <summary>Parses a cursor for a subscription of <paramref name="topicCount"/> topics.</summary>
    public static bool TryParse(string? text, int topicCount, [NotNullWhen(true)] out TopicPosition[]? positions)
    {
        positions = null;
        if (string.IsNullOrEmpty(text) || text.Length > topicCount * (MaxEpochLength + 21))
        {
            return false;
        }

        var parts = text.Split('_');
        if (parts.Length != topicCount)
        {
            return false;
        }

        var parsed = new TopicPosition[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var dash = parts[i].IndexOf('-');
            if (dash <= 0 || dash > MaxEpochLength)
            {
                return false;
            }

            var epoch = parts[i][..dash];
            if (!IsEpoch(epoch)
                || !long.TryParse(parts[i].AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                return false;
            }

            parsed[i] = new TopicPosition(epoch, seq);
        }

        positions = parsed;
        return true;
    }

    public static bool IsEpoch(string epoch)
    {
        if (epoch.Length is 0 or > MaxEpochLength)
        {
            return false;
        }

        foreach (var c in epoch)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A fresh epoch for a new topic incarnation: the start time in base 36 (fixed width,
    /// so a later incarnation compares greater, see <see cref="IsNewer"/>) and four random
    /// characters, so two incarnations started in the same millisecond still differ.
    /// </summary>
    public static string NewEpoch()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> chars = stackalloc char[EpochTimeDigits + 4];
        var millis = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = EpochTimeDigits - 1; i >= 0; i--)
        {
            chars[i] = alphabet[(int)(millis % 36)];
            millis /= 36;
        }

        for (var i = EpochTimeDigits; i < chars.Length; i++)
        {
            chars[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Whether <paramref name="candidate"/> names a later incarnation than <paramref name="current"/>.</summary>
    public static bool IsNewer(string candidate, string current) =>
        string.CompareOrdinal(candidate, current) > 0;

    private const int EpochTimeDigits = 9;
}
