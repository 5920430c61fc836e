namespace Fanout.AspNetCore.Auth;

/// <summary>Patterns of one kind of grant; a topic is in the set when any pattern matches it.</summary>
public sealed class TopicPatternSet
{
    public static readonly TopicPatternSet Empty = new([]);

    private readonly IReadOnlyList<TopicPattern> _patterns;

    public TopicPatternSet(IReadOnlyList<TopicPattern> patterns) => _patterns = patterns;

    public IReadOnlyList<TopicPattern> Patterns => _patterns;

    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>
    /// The well-formed entries of <paramref name="texts"/>; malformed ones are reported in
    /// <paramref name="rejected"/> (configuration fails on them, a token's are ignored).
    /// </summary>
    public static TopicPatternSet Parse(IEnumerable<string?> texts, out IReadOnlyList<string> rejected)
    {
        var patterns = new List<TopicPattern>();
        var bad = new List<string>();
        foreach (var text in texts)
        {
            if (TopicPattern.TryParse(text, out var pattern))
            {
                patterns.Add(pattern!);
            }
            else
            {
                bad.Add(text ?? "null");
            }
        }

        rejected = bad;
        return new TopicPatternSet(patterns);
    }

    public bool Matches(string topic)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(topic))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => _patterns.Count == 0 ? "(none)" : string.Join(", ", _patterns);
}
