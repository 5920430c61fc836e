using Fanout.Topics;
using Xunit;

namespace Fanout.Tests.Topics;

public sealed class TopicNameSpec
{
    public static TheoryData<string> ValidNames =>
    [
        "a",
        "orders",
        "orders/1",
        "orders/eu/2024",
        "A-Z.a_z-0.9",
        "tenant:42/orders",
        ":",
        "a.b",
        "events/orders",
        "orders/events.archive",
        "orders/my-events",
        "orders/events:x",
        "orders/batch",
        new string('a', TopicName.MaxLength),
        "a/" + new string('b', TopicName.MaxLength - 2),
    ];

    public static TheoryData<string?> InvalidNames =>
    [
        null,
        "",
        new string('a', TopicName.MaxLength + 1),
        "a/" + new string('b', TopicName.MaxLength - 1),
        "/",
        "/orders",
        "orders/",
        "a//b",
        "..",
        "a..b",
        "a/../b",
        "...",
        "events",
        "events:batch",
        "orders/events",
        "orders/events:batch",
        "a b",
        "a?b",
        "a#b",
        "a%2Fb",
        "a\\b",
        "a*b",
        "a\nb",
        "ordé",
        "a+b",
    ];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Accepts_names_of_the_grammar(string topic)
    {
        Assert.True(TopicName.IsValid(topic));
        Assert.Null(TopicName.Validate(topic));
        Assert.True(TopicName.TryValidate(topic, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Rejects_names_outside_the_grammar_and_says_why(string? topic)
    {
        Assert.False(TopicName.IsValid(topic));
        Assert.False(TopicName.TryValidate(topic, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Theory]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/../b", "..")]
    [InlineData("/a", "'/'")]
    [InlineData("a/events", "events")]
    public void The_problem_names_the_broken_rule(string topic, string mentioned) =>
        Assert.Contains(mentioned, TopicName.Validate(topic));
}
