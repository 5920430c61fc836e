using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// Mercure's topic selector rules: <c>*</c> matches every topic, a selector matches the
/// topic equal to it, and a selector that is an RFC 6570 URI template matches the topics
/// it expands to (<see cref="UriTemplatePattern"/>). Compiled templates and match results
/// are cached, each cache bounded (emptied when full), so matching per delivery is a
/// dictionary look-up once warm.
/// </summary>
public sealed class TopicSelectors
{
    public const string All = "*";

    private readonly int _maxTemplates;
    private readonly int _maxMatches;
    private readonly ConcurrentDictionary<string, Regex?> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Selector, string Topic), bool> _matches = new();

    public TopicSelectors(int maxTemplates = 10_000, int maxMatches = 100_000)
    {
        _maxTemplates = Math.Max(1, maxTemplates);
        _maxMatches = Math.Max(1, maxMatches);
    }

    public bool Matches(string topic, string selector)
    {
        if (selector == All || string.Equals(topic, selector, StringComparison.Ordinal))
        {
            return true;
        }

        if (!selector.Contains('{', StringComparison.Ordinal))
        {
            return false;
        }

        if (_matches.TryGetValue((selector, topic), out var known))
        {
            return known;
        }

        var matched = Template(selector) is { } template && IsMatch(template, topic);
        if (_matches.Count >= _maxMatches)
        {
            _matches.Clear();
        }

        _matches[(selector, topic)] = matched;
        return matched;
    }

    /// <summary>Whether any of <paramref name="topics"/> matches any of <paramref name="selectors"/>.</summary>
    public bool MatchesAny(IReadOnlyList<string> topics, IReadOnlyList<string> selectors)
    {
        // Indexed loops: foreach over an IReadOnlyList boxes an enumerator, and this runs for
        // every update and subscriber.
        for (var t = 0; t < topics.Count; t++)
        {
            for (var s = 0; s < selectors.Count; s++)
            {
                if (Matches(topics[t], selectors[s]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether every one of <paramref name="topics"/> matches one of <paramref name="selectors"/> (a publisher's rights).</summary>
    public bool MatchesEach(IReadOnlyList<string> topics, IReadOnlyList<string> selectors)
    {
        foreach (var topic in topics)
        {
            if (!MatchesAny([topic], selectors))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMatch(Regex template, string topic)
    {
        try
        {
            return template.IsMatch(topic);
        }
        catch (RegexMatchTimeoutException)
        {
            // A topic the pattern cannot decide in time is no match.
            return false;
        }
    }

    private Regex? Template(string selector)
    {
        if (_templates.TryGetValue(selector, out var compiled))
        {
            return compiled;
        }

        compiled = UriTemplatePattern.TryCompile(selector, out var regex) ? regex : null;
        if (_templates.Count >= _maxTemplates)
        {
            _templates.Clear();
        }

        _templates[selector] = compiled;
        return compiled;
    }
}
