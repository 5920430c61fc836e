using Fanout.Protocol;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// One entry of a grant: an exact topic name, <c>prefix/*</c> (every topic below
/// <c>prefix</c>, not <c>prefix</c> itself), or <c>*</c> (every topic).
/// </summary>
public sealed class TopicPattern
{
    public const string Everything = "*";
    private const string PrefixSuffix = "/*";

    private readonly string? _exact;
    private readonly string? _prefix;

    private TopicPattern(string text, string? exact, string? prefix)
    {
        Text = text;
        _exact = exact;
        _prefix = prefix;
    }

    public string Text { get; }

    public static bool TryParse(string? text, out TopicPattern? pattern)
    {
        pattern = null;
        if (text == Everything)
        {
            pattern = new TopicPattern(text, null, null);
        }
        else if (text is not null && text.EndsWith(PrefixSuffix, StringComparison.Ordinal))
        {
            // A prefix is well formed when a topic directly below it would be.
            var prefix = text[..^1];
            if (TopicName.IsValid(prefix + "x"))
            {
                pattern = new TopicPattern(text, null, prefix);
            }
        }
        else if (TopicName.IsValid(text))
        {
            pattern = new TopicPattern(text!, text, null);
        }

        return pattern is not null;
    }

    public bool Matches(string topic) =>
        _exact is not null ? string.Equals(_exact, topic, StringComparison.Ordinal)
        : _prefix is not null ? topic.StartsWith(_prefix, StringComparison.Ordinal)
        : true;

    public override string ToString() => Text;
}
