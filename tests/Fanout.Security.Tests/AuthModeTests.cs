using System.Net;
using Fanout.Server;
using Fanout.AspNetCore.Configuration;

namespace Fanout.Security.Tests;

/// <summary>How a node starts: auth off by default, on with a key or an authority, refused on bad settings.</summary>
public sealed class AuthModeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("Fanout:Auth:SigningKey=too-short", "at least 32 bytes")]
    [InlineData("Fanout:Auth:SigningKeys:0=0123456789012345678901234567890", "at least 32 bytes")]
    [InlineData("Fanout:Auth:Authority=http://127.0.0.1:1", "https")]
    [InlineData("Fanout:Auth:PublicTopics:0=news/**", "news/**")]
    [InlineData("Fanout:Limits:MaxSubscribersPerNode=0", "MaxSubscribersPerNode")]
    [InlineData("Fanout:Limits:RequestHeadersTimeoutSeconds=0", "RequestHeadersTimeoutSeconds")]
    public void A_node_refuses_to_start_with_unsafe_settings(string setting, string expected)
    {
        var error = Assert.Throws<InvalidFanoutConfigurationException>(() =>
            FanoutNode.Build(["--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--" + setting]));

        var problem = Assert.Single(error.Problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.StartsWith(string.Join(':', setting.Split(':')[..2]) + ":", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_key_or_authority_auth_is_off_and_says_so()
    {
        await using var node = await TestNode.StartAsync();

        using var published = await node.PublishAsync("open/1", token: null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        await using var stream = await SseClient.OpenAsync(node.Http, node.Request(HttpMethod.Get, "/topics/open/1/events"));
        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
        Assert.Contains(node.Log.Entries, e => e.Message.StartsWith("Auth is OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_anonymous_publish_switch_opens_publishing_only()
    {
        await using var node = await TestNode.StartAsync(
            $"Fanout:Auth:SigningKey={TestTokens.Key}",
            "Fanout:Auth:AllowAnonymousPublish=true");

        using var published = await node.PublishAsync("dev/1", token: null);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        using var subscribe = await node.Http.GetAsync("/topics/dev/1/events");
        await ProblemAssert.IsProblemAsync(subscribe, HttpStatusCode.Unauthorized);
        Assert.Contains(node.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("anonymous publish ALLOWED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_signed_by_an_oidc_authority_are_accepted_and_scoped()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var node = await TestNode.StartAsync(
            $"Fanout:Auth:Authority={provider.Issuer}",
            "Fanout:Auth:RequireHttpsMetadata=false",
            "Fanout:Auth:Audience=fanout");
        Assert.Contains(node.Log.Entries, e => e.Message.StartsWith("Auth is ON", StringComparison.Ordinal));

        using var allowed = await node.PublishAsync("orders/1", provider.Token(["orders/*"], "fanout"));
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);

        using var forbidden = await node.PublishAsync("users/1", provider.Token(["orders/*"], "fanout"));
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden);

        using var otherAudience = await node.PublishAsync("orders/1", provider.Token(["orders/*"], "someone-else"));
        await ProblemAssert.IsProblemAsync(otherAudience, HttpStatusCode.Unauthorized);

        using var hs256 = await node.PublishAsync("orders/1", TestTokens.Grant(publish: ["*"], audience: "fanout"));
        await ProblemAssert.IsProblemAsync(hs256, HttpStatusCode.Unauthorized);
    }
}
