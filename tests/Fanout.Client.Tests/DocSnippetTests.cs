using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client.Tests;

public sealed partial class DocSnippetTests
{
    [Fact]
    public void Every_snippet_of_docs_client_md_is_the_compiled_code()
    {
        var root = RepositoryRoot();
        var page = Blocks(File.ReadAllText(Path.Combine(root, "docs", "client.md")));
        var code = Regions(File.ReadAllText(Path.Combine(root, "tests", "Fanout.Client.Tests", "DocSnippets.cs")));

        Assert.NotEmpty(page);
        Assert.Equal(code.Keys.Order(), page.Keys.Order());
        foreach (var (name, text) in code)
        {
            Assert.True(text == page[name], $"docs/client.md snippet '{name}' differs from DocSnippets.cs:\n--- docs\n{page[name]}\n--- code\n{text}");
        }
    }

    [Fact]
    public async Task The_publishing_snippets_run_against_a_node()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        var single = await DocSnippets.PublishAsync(client);
        var again = await DocSnippets.PublishAsync(client);
        Assert.True(again.Duplicate);
        Assert.Equal(single.Seq, again.Seq);
        var batch = await DocSnippets.PublishBatchAsync(client);
        Assert.Equal([single.Seq + 1, single.Seq + 2], batch.Select(r => r.Seq));
        await DocSnippets.HandleProblemsAsync(client);

        var services = new ServiceCollection();
        DocSnippets.Register(services, _ => ValueTask.FromResult<string?>(null));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(new Uri("http://127.0.0.1:8080"), provider.GetRequiredService<FanoutClient>().Options.BaseAddress);
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

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 12 && dir is not null; i++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- snippet: (?<name>[a-z-]+) -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"#region snippet:(?<name>[a-z-]+)\n(?<code>.*?)\n\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
