using System.Text.RegularExpressions;

namespace Fanout.Testing;

/// <summary>
/// Keeps a page's code blocks compiled: each block after <c>&lt;!-- snippet: NAME --&gt;</c> in a
/// docs page must be the text of <c>#region snippet:NAME</c> in a test source file, which the
/// test project compiles (and may run). Indentation and line endings do not count.
/// </summary>
public static partial class DocSnippetCheck
{
    /// <summary>What differs between the page and the source (paths from the repository root); empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(string page, string source)
    {
        var root = RepositoryFolder.Find();
        var blocks = Blocks(File.ReadAllText(Path.Combine(root, page)));
        var regions = Regions(File.ReadAllText(Path.Combine(root, source)));
        var differences = new List<string>();
        if (blocks.Count == 0)
        {
            differences.Add($"{page} has no snippet.");
        }

        foreach (var name in blocks.Keys.Except(regions.Keys))
        {
            differences.Add($"{page} snippet '{name}' has no region in {source}.");
        }

        foreach (var name in regions.Keys.Except(blocks.Keys))
        {
            differences.Add($"{source} region '{name}' is not on {page}.");
        }

        foreach (var name in blocks.Keys.Intersect(regions.Keys).Where(n => blocks[n] != regions[n]))
        {
            differences.Add($"{page} snippet '{name}' differs from {source}:\n--- docs\n{blocks[name]}\n--- code\n{regions[name]}");
        }

        return differences;
    }

    private static Dictionary<string, string> Blocks(string markdown) =>
        BlockPattern().Matches(markdown).ToDictionary(m => m.Groups["name"].Value, m => Normalize(m.Groups["code"].Value));

    private static Dictionary<string, string> Regions(string source) =>
        RegionPattern().Matches(source).ToDictionary(m => m.Groups["name"].Value, m => Normalize(m.Groups["code"].Value));

    /// <summary>Drops the common indentation and the line-ending style.</summary>
    private static string Normalize(string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    [GeneratedRegex(@"<!-- snippet: (?<name>[a-z-]+) -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"#region snippet:(?<name>[a-z-]+)\n(?<code>.*?)\n\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
