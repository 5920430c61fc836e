using System.Net;
using System.Net.Http.Headers;
using Fanout.Server;
using Fanout.AspNetCore.Configuration;

namespace Fanout.Security.Tests;

/// <summary>
/// <c>/metrics</c> names topics in its series, so with auth on it is served only to a
/// scraper with the scrape token or a token with the admin grant; with auth off it stays open
/// unless a scrape token is set.
/// </summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class MetricsAccessTests(SecuredNode fixture)
{
    private const string ScrapeToken = "fanout-tests-scrape-token-0123456789abcdef";

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task With_auth_on_an_anonymous_scrape_is_401_and_reveals_no_topic()
    {
        var topic = "private/" + Guid.NewGuid().ToString("N");
        using var published = await Node.PublishAsync(topic, SecuredNode.Admin);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);

        using var response = await Node.Http.GetAsync("/metrics");

        var title = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("bearer token", title, StringComparison.Ordinal);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(topic, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_the_admin_grant_is_403_and_a_bad_token_401()
    {
        using var notAdmin = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/metrics", SecuredNode.Admin));
        await ProblemAssert.IsProblemAsync(notAdmin, HttpStatusCode.Forbidden);

        using var bad = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/metrics", TestTokens.Grant(admin: true, key: "not-the-key-of-this-node-0123456789abcdef")));
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_with_the_admin_grant_scrapes_the_topic_series()
    {
        var topic = "scraped/" + Guid.NewGuid().ToString("N");
        using var published = await Node.PublishAsync(topic, SecuredNode.Admin);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);

        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/metrics", TestTokens.Grant(subject: "prometheus", admin: true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("fanout_events_published_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_auth_on_the_scrape_token_is_accepted_and_a_wrong_one_refused()
    {
        await using var node = await TestNode.StartAsync([.. SecuredNode.Settings, $"Fanout:Metrics:ScrapeToken={ScrapeToken}"]);

        using var scraped = await ScrapeAsync(node, ScrapeToken);
        using var wrong = await ScrapeAsync(node, ScrapeToken + "x");
        using var anonymous = await ScrapeAsync(node, null);

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("fanout_events_published_total", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_auth_off_a_scrape_token_still_guards_the_endpoint()
    {
        await using var node = await TestNode.StartAsync($"Fanout:Metrics:ScrapeToken={ScrapeToken}");

        using var anonymous = await ScrapeAsync(node, null);
        using var scraped = await ScrapeAsync(node, ScrapeToken);

        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
    }

    [Fact]
    public async Task AllowAnonymous_opens_it_with_auth_on()
    {
        await using var node = await TestNode.StartAsync([.. SecuredNode.Settings, "Fanout:Metrics:AllowAnonymous=true"]);

        using var anonymous = await ScrapeAsync(node, null);

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public void A_short_scrape_token_stops_the_node()
    {
        var error = Assert.Throws<InvalidFanoutConfigurationException>(() =>
            FanoutNode.Build(["--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--Fanout:Metrics:ScrapeToken=short"]));

        Assert.StartsWith("Fanout:Metrics:ScrapeToken must be at least 32 bytes", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> ScrapeAsync(TestNode node, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await node.Http.SendAsync(request);
    }
}
