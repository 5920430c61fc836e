using System.Diagnostics.CodeAnalysis;

namespace Fanout.Protocol;

/// <summary>
/// The topic grammar, the one definition of it: 1–200 characters of
/// <c>A-Z a-z 0-9 . _ - / :</c>, no leading or trailing '/', no empty segment, no "..", and a
/// last segment other than the two words the HTTP paths reserve (<c>events</c>,
/// <c>events:batch</c>).
/// </summary>
public static class TopicName
{
    /// <summary>The longest topic name, in characters.</summary>
    public const int MaxLength = 200;

    /// <summary>Whether <paramref name="topic"/> is a topic name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? topic) => Validate(topic) is null;

    /// <summary>Whether <paramref name="topic"/> is a topic name; if not, <paramref name="problem"/> says why.</summary>
    public static bool TryValidate([NotNullWhen(true)] string? topic, [NotNullWhen(false)] out string? problem)
    {
        problem = Validate(topic);
        return problem is null;
    }

    /// <summary>Why <paramref name="topic"/> is not a topic name (a sentence for a problem's detail), or null when it is one.</summary>
    public static string? Validate(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            return "Topic name is empty.";
        }

        if (topic.Length > MaxLength)
        {
            return $"Topic name is longer than {MaxLength} characters.";
        }

        foreach (var c in topic)
        {
            if (!IsAllowed(c))
            {
                return "Topic name may only contain A-Z, a-z, 0-9 and . _ - / :";
            }
        }

        if (topic[0] == '/' || topic[^1] == '/')
        {
            return "Topic name may not start or end with '/'.";
        }

        if (topic.Contains("//", StringComparison.Ordinal))
        {
            return "Topic name may not contain an empty segment ('//').";
        }

        if (topic.Contains("..", StringComparison.Ordinal))
        {
            return "Topic name may not contain '..'.";
        }

        var lastSegment = topic[(topic.LastIndexOf('/') + 1)..];
        if (lastSegment is "events" or "events:batch")
        {
            return "Topic name may not end with the segment 'events' or 'events:batch'.";
        }

        return null;
    }

    /// <summary>Whether <paramref name="c"/> may appear in a topic name.</summary>
    public static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or '/' or ':';
}
