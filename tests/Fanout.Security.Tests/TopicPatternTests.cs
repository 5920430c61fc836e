using System.Security.Claims;
using CsCheck;
using Fanout.AspNetCore.Auth;

namespace Fanout.Security.Tests;

/// <summary>The grant grammar: exact topics, <c>prefix/*</c>, <c>*</c>; and reading the <c>fanout</c> claim.</summary>
public sealed class TopicPatternTests
{
    private static readonly Gen<string> Segment = Gen.Char["abcxyz019_-:"].Array[1, 8].Select(c => new string(c));
    private static readonly Gen<string> ValidTopic = Segment.Array[1, 4].Select(s => string.Join("/", s));

    [Theory]
    [InlineData("*", "orders", true)]
    [InlineData("*", "a/b/c", true)]
    [InlineData("orders/*", "orders/1", true)]
    [InlineData("orders/*", "orders/eu/1", true)]
    [InlineData("orders/*", "orders", false)]
    [InlineData("orders/*", "ordersx/1", false)]
    [InlineData("orders/1", "orders/1", true)]
    [InlineData("orders/1", "orders/10", false)]
    [InlineData("a/events/*", "a/events/1", true)]
    public void Patterns_match_as_documented(string pattern, string topic, bool matches)
    {
        Assert.True(TopicPattern.TryParse(pattern, out var parsed));
        Assert.Equal(matches, parsed!.Matches(topic));
    }

    [Theory]
    [InlineData("")]
    [InlineData("**")]
    [InlineData("orders*")]
    [InlineData("/*")]
    [InlineData("a//*")]
    [InlineData("a/*/b")]
    [InlineData("a/../b")]
    [InlineData(null)]
    public void Malformed_patterns_are_refused(string? pattern) =>
        Assert.False(TopicPattern.TryParse(pattern, out _));

    [Fact]
    public void A_prefix_covers_exactly_the_topics_below_it() =>
        Gen.Select(ValidTopic, Segment, ValidTopic).Sample((prefix, child, other) =>
        {
            Assert.True(TopicPattern.TryParse(prefix + "/*", out var pattern));
            Assert.True(pattern!.Matches(prefix + "/" + child));
            Assert.False(pattern.Matches(prefix));
            Assert.Equal(other.StartsWith(prefix + "/", StringComparison.Ordinal), pattern.Matches(other));
        });

    [Fact]
    public void The_fanout_claim_is_read_from_json_object_or_string_and_bad_entries_grant_nothing()
    {
        var grants = TopicGrants.From(User("""{"publish":["orders/*","bad//name",7],"subscribe":["*"]}"""));
        Assert.True(grants.Publish.Matches("orders/1"));
        Assert.False(grants.Publish.Matches("bad//name"));
        Assert.True(grants.Subscribe.Matches("anything"));

        Assert.Same(TopicGrants.None, TopicGrants.From(User("not json")));
        Assert.Same(TopicGrants.None, TopicGrants.From(User("""["*"]""")));
        Assert.Same(TopicGrants.None, TopicGrants.From(new ClaimsPrincipal(new ClaimsIdentity("test"))));
        Assert.True(TopicGrants.From(User("""{"publish":"*"}""")).Publish.IsEmpty);
    }

    private static ClaimsPrincipal User(string claim) =>
        new(new ClaimsIdentity([new Claim(TopicGrants.ClaimType, claim)], "test"));
}
