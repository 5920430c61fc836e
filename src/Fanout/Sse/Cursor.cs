using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fanout.Sse;

/// <summary>A position in one topic: the topic incarnation (epoch) and the last seq seen.</summary>
public readonly record struct TopicPosition(string Epoch, long Seq)
{
    public override string ToString() => $"{Epoch}-{Seq}";
}

/// <summary>
/// The parts of the opaque SSE event id that do not depend on a subscription's topics: one
/// position is <c>epoch-seq</c>, epochs are lower-case letters and digits.
/// <see cref="CursorShape"/> lays positions out for a subscription.
/// </summary>
public static class Cursor
{
    public const int MaxEpochLength = 32;

    /// <summary>The longest text of one position: an epoch, the dash and a long's 19 digits (plus one spare).</summary>
    public const int MaxPositionLength = MaxEpochLength + 21;

    /// <summary>Parses one <c>epoch-seq</c> position.</summary>
    public static bool TryParsePosition(ReadOnlySpan<char> text, [NotNullWhen(true)] out TopicPosition? position)
    {
        position = null;
        var dash = text.IndexOf('-');
        if (dash <= 0 || dash > MaxEpochLength)
        {
            return false;
        }

        var epoch = text[..dash];
        if (!IsEpoch(epoch)
            || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        position = new TopicPosition(epoch.ToString(), seq);
        return true;
    }

    public static bool IsEpoch(ReadOnlySpan<char> epoch)
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
