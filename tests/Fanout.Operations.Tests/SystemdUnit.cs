using System.Text;

namespace Fanout.Operations.Tests;

/// <summary>
/// A systemd unit file read as systemd reads it, as far as the tests need: sections, keys
/// (a key may repeat), backslash continuation lines, and the quoting of command lines.
/// </summary>
public sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries;

    private SystemdUnit(List<(string Section, string Key, string Value)> entries) => _entries = entries;

    public static SystemdUnit Load(string path)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        var pending = new StringBuilder();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line[0] is '#' or ';'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            line = pending.Append(line).ToString();
            pending.Clear();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals < 1)
            {
                throw new FormatException($"{path}: '{line}' is neither a [section] nor a Key=value line.");
            }

            entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return new SystemdUnit(entries);
    }

    public IReadOnlyList<string> Values(string section, string key) =>
        _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToList();

    public string Value(string section, string key) => Assert.Single(Values(section, key));

    /// <summary>Seconds of a time span setting such as <c>30</c>, <c>30s</c> or <c>1min</c>.</summary>
    public static int Seconds(string span) => span switch
    {
        _ when span.EndsWith("min", StringComparison.Ordinal) => int.Parse(span[..^3]) * 60,
        _ when span.EndsWith('s') => int.Parse(span[..^1]),
        _ => int.Parse(span),
    };

    /// <summary>
    /// An <c>ExecStart=</c> value as the words systemd runs: the executable and its arguments,
    /// split at whitespace outside quotes, with the special executable prefixes removed.
    /// </summary>
    public static IReadOnlyList<string> CommandLine(string execStart)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in execStart.TrimStart('@', '-', ':', '+', '!'))
        {
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"Unclosed quote in ExecStart={execStart}");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
