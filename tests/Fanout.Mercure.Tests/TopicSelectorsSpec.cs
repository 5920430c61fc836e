using Fanout.AspNetCore.Mercure;

namespace Fanout.Mercure.Tests;

/// <summary>The spec's matching rules: <c>*</c>, exact strings, RFC 6570 templates; anything else matches nothing.</summary>
public sealed class TopicSelectorsSpec
{
    private readonly TopicSelectors _selectors = new();

    [Theory]
    [InlineData("https://example.com/books/1", "*", true)]
    [InlineData("https://example.com/books/1", "https://example.com/books/1", true)]
    [InlineData("https://example.com/books/{id}", "https://example.com/books/{id}", true)]
    [InlineData("https://example.com/books/1", "https://example.com/books/2", false)]
    [InlineData("https://example.com/books/1", "https://example.com/books/{id}", true)]
    [InlineData("https://example.com/books/a%20b", "https://example.com/books/{id}", true)]
    [InlineData("https://example.com/books/1/reviews", "https://example.com/books/{id}", false)]
    [InlineData("https://example.com/authors/1", "https://example.com/books/{id}", false)]
    [InlineData("https://example.com/books/1/reviews/2", "https://example.com/books/{book}/reviews/{review}", true)]
    [InlineData("https://example.com/books/1/reviews/2", "https://example.com/{+path}", true)]
    [InlineData("https://example.com/books/1/reviews/2", "https://example.com{/a,b}", false)]
    [InlineData("https://example.com/books/1", "https://example.com{/a,b}", true)]
    [InlineData("https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1", "https://example.com/users/foo/{?topic}", true)]
    [InlineData("https://example.com/users/bar/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1", "https://example.com/users/foo/{?topic}", false)]
    [InlineData("books.1", "books{.id}", true)]
    [InlineData("https://example.com/books/1", "https://example.com/books/{id", false)]
    [InlineData("https://example.com/books/{id", "https://example.com/books/{id", true)]
    [InlineData("https://example.com/books/1", "https://example.com/books/{}", false)]
    [InlineData("https://example.com/books/1", "https://example.com/books/}", false)]
    public void A_topic_matches_a_selector_as_the_spec_says(string topic, string selector, bool matches) =>
        Assert.Equal(matches, _selectors.Matches(topic, selector));

    [Fact]
    public void A_template_is_compiled_to_an_anchored_pattern_and_cached_results_do_not_change_the_answer()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True(_selectors.Matches("https://example.com/books/7", "https://example.com/books/{id}"));
            Assert.False(_selectors.Matches("prefix-https://example.com/books/7", "https://example.com/books/{id}"));
            Assert.False(_selectors.Matches("https://example.com/books/7-suffix/x", "https://example.com/books/{id}"));
        }
    }

    [Fact]
    public void The_caches_are_bounded_and_stay_correct_after_being_emptied()
    {
        var small = new TopicSelectors(maxTemplates: 2, maxMatches: 3);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(small.Matches($"https://example.com/t{i}/{i}", $"https://example.com/t{i}/{{id}}"));
            Assert.False(small.Matches($"https://example.com/u{i}/{i}", $"https://example.com/t{i}/{{id}}"));
        }
    }

    [Fact]
    public void A_publisher_needs_every_topic_covered_a_subscriber_any()
    {
        string[] topics = ["https://example.com/books/1", "https://example.com/private/1"];

        Assert.True(_selectors.MatchesAny(topics, ["https://example.com/books/{id}"]));
        Assert.False(_selectors.MatchesEach(topics, ["https://example.com/books/{id}"]));
        Assert.True(_selectors.MatchesEach(topics, ["https://example.com/books/{id}", "https://example.com/private/{id}"]));
        Assert.True(_selectors.MatchesEach(topics, ["*"]));
        Assert.False(_selectors.MatchesAny(topics, []));
    }
}
