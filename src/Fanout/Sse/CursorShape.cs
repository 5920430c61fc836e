using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fanout.Sse;

/// <summary>
/// How one subscription's cursor lays out its topics' positions. One topic: <c>epoch-seq</c>.
/// Several: one position per topic in the ordinal order of the topic names (not the order
/// the request named them in), joined with '_', then '.' and a tag of the topic set
/// (<c>e1-s1_e2-s2.tag</c>). So the same topics in any order resume the same stream, and a
/// cursor of another set of topics is told apart from one whose topic restarted.
/// </summary>
public sealed class CursorShape
{
    private const char PositionSeparator = '_';
    private const char TagSeparator = '.';

    private readonly Dictionary<string, int> _slots;
    private readonly string? _tag;

    /// <param name="topics">The subscription's topics, in any order.</param>
    public CursorShape(IReadOnlyList<string> topics)
    {
        if (topics.Count == 0)
        {
            throw new ArgumentException("A cursor covers at least one topic.", nameof(topics));
        }

        // A cursor covers a set of topics: one named twice has one position.
        var sorted = topics.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Topics = sorted;
        _slots = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
        for (var i = 0; i < sorted.Length; i++)
        {
            _slots[sorted[i]] = i;
        }

        _tag = sorted.Length == 1 ? null : Tag(sorted);
    }

    /// <summary>The topics in slot order: the order of their positions in the cursor.</summary>
    public IReadOnlyList<string> Topics { get; }

    public int Count => Topics.Count;

    /// <summary>Where <paramref name="topic"/>'s position sits; false for a topic of another subscription.</summary>
    public bool TryGetSlot(string topic, out int slot) => _slots.TryGetValue(topic, out slot);

    /// <summary>The cursor of <paramref name="positions"/>, one per slot.</summary>
    public string Format(IReadOnlyList<TopicPosition> positions)
    {
        if (positions.Count != Count)
        {
            throw new ArgumentException($"Expected {Count} positions, got {positions.Count}.", nameof(positions));
        }

        if (_tag is null)
        {
            return positions[0].ToString();
        }

        var builder = new StringBuilder(Count * 20);
        for (var i = 0; i < positions.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(PositionSeparator);
            }

            builder.Append(positions[i].Epoch).Append('-').Append(positions[i].Seq);
        }

        return builder.Append(TagSeparator).Append(_tag).ToString();
    }

    /// <summary>
    /// Reads a cursor of exactly these topics into one position per slot. False for anything
    /// else: not a cursor, another number of positions, or a cursor of other topics.
    /// </summary>
    public bool TryParse(string? text, [NotNullWhen(true)] out TopicPosition[]? positions)
    {
        positions = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var rest = text.AsSpan();
        if (_tag is not null)
        {
            var dot = rest.LastIndexOf(TagSeparator);
            if (dot < 0 || !rest[(dot + 1)..].SequenceEqual(_tag))
            {
                return false;
            }

            rest = rest[..dot];
        }

        var parsed = new TopicPosition[Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            var end = rest.IndexOf(PositionSeparator);
            var last = i == parsed.Length - 1;
            if (last != (end < 0))
            {
                return false;
            }

            if (!Cursor.TryParsePosition(last ? rest : rest[..end], out var position))
            {
                return false;
            }

            parsed[i] = position.Value;
            rest = last ? [] : rest[(end + 1)..];
        }

        positions = parsed;
        return true;
    }

    private int MaxLength => (Count * (Cursor.MaxPositionLength + 1)) + (_tag?.Length ?? 0);

    /// <summary>
    /// A short, stable name of the topic set: FNV-1a (32 bit) over the sorted names' UTF-8,
    /// each ended by a line break (no topic name holds one), in base 36. Every node computes
    /// the same tag, so a cursor resumes on any of them.
    /// </summary>
    private static string Tag(IReadOnlyList<string> sortedTopics)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var topic in sortedTopics)
        {
            foreach (var b in Encoding.UTF8.GetBytes(topic + "\n"))
            {
                hash = unchecked((hash ^ b) * prime);
            }
        }

        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> chars = stackalloc char[7];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = alphabet[(int)(hash % 36)];
            hash /= 36;
        }

        return new string(chars);
    }
}
