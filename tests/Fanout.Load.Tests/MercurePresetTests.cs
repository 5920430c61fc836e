using System.Text;
using Fanout.Load.Cli;
using Fanout.Load.Publishing;

namespace Fanout.Load.Tests;

/// <summary>The mercure preset: form publishes naming topic IRIs, selector subscriptions, bearer tokens, and runs against a node's /.well-known/mercure.</summary>
public sealed class MercurePresetTests
{
    private const string Iri = "https%3A%2F%2Fexample.com%2Fload%2F";

    [Fact]
    public void A_publish_names_its_topic_iri_form_encoded_in_the_body_and_spread_topics_per_event()
    {
        var preset = ServerPreset.Mercure;
        var one = new RequestTemplate("http://127.0.0.1:1/.well-known/mercure", preset.PublishBody, "c", 64);
        var spread = new RequestTemplate("http://127.0.0.1:1/.well-known/mercure", preset.PublishBody, "c", 64, topics: 3);

        Assert.StartsWith($"topic={Iri}c&data=fl:5:", Encoding.ASCII.GetString(one.Body(5, 1)), StringComparison.Ordinal);
        Assert.StartsWith($"topic={Iri}c-0&data=fl:1:", Encoding.ASCII.GetString(spread.Body(1, 1)), StringComparison.Ordinal);
        Assert.StartsWith($"topic={Iri}c-2&data=fl:3:", Encoding.ASCII.GetString(spread.Body(3, 1)), StringComparison.Ordinal);
        Assert.StartsWith($"topic={Iri}c-0&data=fl:4:", Encoding.ASCII.GetString(spread.Body(4, 1)), StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:1/.well-known/mercure", spread.Url(2).ToString());
    }

    [Theory]
    [InlineData(null, "?topic=" + Iri + "{channel}")]
    [InlineData("https://example.com/load/{id}", "?topic=" + Iri + "%7Bid%7D")]
    [InlineData("*", "?topic=%2A")]
    public void The_topic_selector_becomes_the_encoded_subscribe_query(string? selector, string query)
    {
        string[] args = ["--server", "mercure", "--base", "http://127.0.0.1:1", "--publish-token", "p.t.k", "--subscribe-token", "s.t.k"];
        var parse = LoadCommand.Create().Parse(selector is null ? args : [.. args, "--topic-selector", selector]);

        var options = LoadCommand.ToOptions(parse, ServerPreset.Mercure);

        Assert.Equal("http://127.0.0.1:1/.well-known/mercure" + query, Assert.Single(options.SubscribeUrls));
        Assert.Equal("application/x-www-form-urlencoded", options.PublishContentType);
        Assert.Equal(("p.t.k", "s.t.k"), (options.PublishToken, options.SubscribeToken));
        Assert.False(options.SeqFromEventId);
        Assert.Null(options.ReadyEvent);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/.well-known/mercure?topic=%2A", true)]
    [InlineData("http://127.0.0.1:1/.well-known/mercure?topic=" + Iri + "{channel}", false)]
    public void Spread_topics_with_subscribers_need_subscribers_that_see_every_topic(string subscribeUrl, bool accepted)
    {
        var options = new LoadOptions
        {
            PublishUrl = "http://127.0.0.1:1/.well-known/mercure",
            PublishBody = ServerPreset.Mercure.PublishBody,
            SubscribeUrls = [subscribeUrl],
            Subscribers = 2,
            Topics = 4,
        };

        Assert.Equal(accepted, LoadOptionsValidator.Validate(options).Count == 0);
    }

    [Fact]
    public async Task Template_subscribers_with_a_token_get_every_update_published_with_a_token()
    {
        await using var node = await InProcessNode.StartAsync(MercureTokens.NodeSettings(anonymous: false));
        var options = Options(node, "https://example.com/load/{id}", topics: 1) with
        {
            PublishToken = MercureTokens.Publisher(),
            SubscribeToken = MercureTokens.Subscriber(),
        };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.Equal(3, summary.Subscribers.Ready);
        Assert.True(summary.Publish.Succeeded == 500 && summary.Publish.Failed == 0, json);
        Assert.True(summary.Fast.Delivered == 3 * 500 && summary.Fast.Duplicates == 0, json);
        Assert.Equal(3 * 500, summary.Fast.LatencyMs.Count);
    }

    [Fact]
    public async Task Anonymous_star_subscribers_get_updates_spread_over_many_topic_iris()
    {
        await using var node = await InProcessNode.StartAsync(MercureTokens.NodeSettings(anonymous: true));
        var options = Options(node, "*", topics: 50) with { PublishToken = MercureTokens.Publisher() };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.Equal(3, summary.Subscribers.Ready);
        Assert.True(summary.Publish.Succeeded == 500 && summary.Publish.Failed == 0, json);
        Assert.True(summary.Fast.Delivered == 3 * 500 && summary.Fast.Duplicates == 0, json);
    }

    [Fact]
    public async Task A_publish_without_the_token_is_refused_and_counted_as_failed()
    {
        await using var node = await InProcessNode.StartAsync(MercureTokens.NodeSettings(anonymous: true));
        var options = Options(node, "*", topics: 1) with { Events = 20 };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(20, summary.Publish.Failed);
        Assert.StartsWith("HTTP 401", summary.Publish.FirstFailure, StringComparison.Ordinal);
    }

    private static LoadOptions Options(InProcessNode node, string selector, int topics)
    {
        var preset = ServerPreset.Mercure;
        var options = new LoadOptions
        {
            PublishUrl = preset.PublishUrl.Replace(Placeholders.Base, node.BaseUrl),
            PublishBody = preset.PublishBody,
            PublishContentType = preset.PublishContentType,
            SubscribeUrls = [preset.SelectorSubscribeUrl!.Replace(Placeholders.Base, node.BaseUrl).Replace(Placeholders.Selector, MercureTopics.Escape(selector))],
            ReadyEvent = preset.ReadyEvent,
            SeqFromEventId = preset.SeqFromEventId,
            Channel = "load-test-" + Guid.NewGuid().ToString("N"),
            Topics = topics,
            Subscribers = 3,
            Events = 500,
            PayloadBytes = 256,
            InFlight = 8,
            PublishSeconds = 60,
            DrainIdleSeconds = 10,
            MaxSeconds = 90,
            ProgressSeconds = 0,
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));
        return options;
    }
}
