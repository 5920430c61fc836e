using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client.Tests;

public sealed class DocSnippetTests
{
    [Fact]
    public void Every_snippet_of_docs_client_md_is_the_compiled_code() =>
        Assert.Empty(Fanout.Testing.DocSnippetCheck.Differences("docs/client.md", "tests/Fanout.Client.Tests/DocSnippets.cs"));

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
}
