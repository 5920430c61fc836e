using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Fanout.Client;
using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

public sealed class EmbeddingSnippetTests
{
    [Fact]
    public void Every_snippet_of_docs_embedding_md_is_the_compiled_code() =>
        Assert.Empty(DocSnippetCheck.Differences("docs/embedding.md", "tests/Fanout.AspNetCore.Tests/EmbeddingSnippets.cs"));

    [Fact]
    public async Task The_add_and_map_snippets_serve_the_hub_below_hub()
    {
        await using var app = await EmbeddedApp.StartAsync(EmbeddedApp.Settings(), EmbeddingSnippets.AddHub, EmbeddingSnippets.MapHub);
        using var client = new FanoutClient(new Uri(app.Url, "/hub/"));
        var first = await client.PublishAsync("snippets/orders", 1);
        Assert.Equal(1, first.Seq);
    }

    [Fact]
    public async Task The_group_snippet_applies_the_apps_policies()
    {
        await using var app = await EmbeddedApp.StartAsync(
            EmbeddedApp.Settings(),
            builder =>
            {
                EmbeddingSnippets.AddHub(builder);
                EmbeddingSnippets.GuardHub(builder);
                builder.Services.AddAuthentication().AddCookie();
            },
            web =>
            {
                web.UseCors();
                web.UseAuthentication();
                web.UseAuthorization();
                EmbeddingSnippets.MapGuardedHub(web);
            });
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.Url };

        // Not signed in: the cookie scheme's challenge (a redirect to its login page), not the hub.
        var answer = await http.GetAsync("/hub/topics");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
    }

    [Theory]
    [InlineData("own-actors")]
    [InlineData("existing-akka")]
    public async Task The_apps_actors_share_the_hubs_actor_system(string snippet)
    {
        Action<WebApplicationBuilder> add = snippet == "own-actors" ? EmbeddingSnippets.AddHubWithOwnActors : EmbeddingSnippets.AddHubToExistingAkka;
        await using var app = await EmbeddedApp.StartAsync(EmbeddedApp.Settings(), add, web => web.MapFanout());

        var greeter = await app.App.Services.GetRequiredService<IRequiredActor<EmbeddingSnippets.Greeter>>().GetAsync();
        Assert.Equal("hello hub", await greeter.Ask<string>("hub", TimeSpan.FromSeconds(10)));
        using var client = new FanoutClient(app.Url);
        Assert.Equal(1, (await client.PublishAsync("snippets/shared", 1)).Seq);
    }

    [Fact]
    public void The_client_snippet_names_the_prefix_as_the_base_address()
    {
        using var client = EmbeddingSnippets.ClientOfPrefixedHub();
        Assert.Equal("/hub/", client.Options.BaseAddress!.AbsolutePath);
    }
}
