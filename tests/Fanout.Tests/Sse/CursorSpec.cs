using Fanout.Sse;
using Xunit;

namespace Fanout.Tests.Sse;

public sealed class CursorSpec
{
    [Fact]
    public void Single_topic_cursor_is_epoch_dash_seq()
    {
        Assert.Equal("0abc9-42", new CursorShape(["t"]).Format([new TopicPosition("0abc9", 42)]));
        Assert.Equal("e-0", new TopicPosition("e", 0).ToString());
    }

    [Fact]
    public void Multi_topic_cursor_joins_positions_in_sorted_topic_order_then_tags_the_topic_set()
    {
        var shape = new CursorShape(["c", "a", "b"]);
        Assert.Equal(["a", "b", "c"], shape.Topics);

        var cursor = shape.Format([new("ea", 1), new("eb", 20), new("ec", 0)]);

        Assert.Matches("^ea-1_eb-20_ec-0\\.[0-9a-z]{7}$", cursor);
    }

    [Fact]
    public void The_same_topics_in_any_order_share_slots_and_cursors()
    {
        var forward = new CursorShape(["orders/1", "users/7"]);
        var reversed = new CursorShape(["users/7", "orders/1"]);
        TopicPosition[] positions = [new(Cursor.NewEpoch(), 5), new(Cursor.NewEpoch(), 0)];

        var cursor = forward.Format(positions);

        Assert.Equal(cursor, reversed.Format(positions));
        Assert.True(reversed.TryParse(cursor, out var parsed));
        Assert.Equal(positions, parsed);
        Assert.True(forward.TryGetSlot("users/7", out var slot));
        Assert.True(reversed.TryGetSlot("users/7", out var sameSlot));
        Assert.Equal(slot, sameSlot);
        Assert.False(forward.TryGetSlot("elsewhere", out _));
    }

    [Fact]
    public void A_cursor_of_other_topics_does_not_fit_even_with_the_same_count()
    {
        TopicPosition[] positions = [new("ea", 1), new("eb", 2)];
        var cursor = new CursorShape(["a", "b"]).Format(positions);

        Assert.False(new CursorShape(["a", "c"]).TryParse(cursor, out _));
        Assert.False(new CursorShape(["b", "c"]).TryParse(cursor, out _));
        Assert.False(new CursorShape(["a", "b", "c"]).TryParse(cursor, out _));
    }

    [Theory]
    [InlineData("ab12-0")]
    [InlineData("ab12-9223372036854775807")]
    [InlineData("0mwymahtjtty4-17")]
    public void Formatting_a_parsed_single_topic_cursor_gives_it_back(string text)
    {
        var shape = new CursorShape(["t"]);

        Assert.True(shape.TryParse(text, out var positions));
        Assert.Equal(text, shape.Format(positions));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public void Parsing_a_formatted_cursor_gives_the_positions_back(int topics)
    {
        var shape = new CursorShape(Enumerable.Range(0, topics).Select(i => $"topic/{i}").ToList());
        var positions = Enumerable.Range(0, topics).Select(i => new TopicPosition(Cursor.NewEpoch(), i * 1000L)).ToArray();
        positions[^1] = positions[^1] with { Seq = long.MaxValue };

        Assert.True(shape.TryParse(shape.Format(positions), out var parsed));
        Assert.Equal(positions, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")] // no seq
    [InlineData("-5")] // no epoch
    [InlineData("abc-")] // empty seq
    [InlineData("abc--5")] // negative seq
    [InlineData("abc-+5")] // signed seq
    [InlineData("abc-5 ")] // trailing space
    [InlineData(" abc-5")] // leading space
    [InlineData("abc-1-2")]
    [InlineData("abc-0x10")]
    [InlineData("abc-99999999999999999999")] // seq overflows a long
    [InlineData("ABC-5")] // epochs are lower case
    [InlineData("ab.c-5")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456-5")] // epoch of 33 characters
    [InlineData("ea-1_eb-2")] // two positions for one topic
    public void Rejects_what_is_not_a_single_topic_cursor(string? text)
    {
        Assert.False(new CursorShape(["t"]).TryParse(text, out var positions));
        Assert.Null(positions);
    }

    [Theory]
    [InlineData("ea-1")] // one position for two topics
    [InlineData("ea-1_eb-2")] // no tag
    [InlineData("ea-1_eb-2.")] // empty tag
    [InlineData("ea-1_eb-2.0000000")] // another tag
    [InlineData("ea-1_{tag}")]
    [InlineData("ea-1_.{tag}")]
    [InlineData("ea-1__eb-2.{tag}")]
    [InlineData("ea-1_eb-2_ec-3.{tag}")] // three positions for two topics
    [InlineData("ea-1_eb-x.{tag}")]
    [InlineData("{tag}")]
    public void Rejects_what_is_not_a_cursor_of_the_subscriptions_topics(string template)
    {
        var shape = new CursorShape(["a", "b"]);
        var tag = shape.Format([new("e", 0), new("e", 0)]).Split('.')[1];

        Assert.False(shape.TryParse(template.Replace("{tag}", tag, StringComparison.Ordinal), out var positions));
        Assert.Null(positions);
    }

    [Fact]
    public void Epoch_of_the_maximum_length_is_accepted()
    {
        var epoch = new string('z', Cursor.MaxEpochLength);

        Assert.True(new CursorShape(["t"]).TryParse($"{epoch}-3", out var positions));
        Assert.Equal(new TopicPosition(epoch, 3), positions[0]);
    }

    [Fact]
    public void A_topic_named_twice_has_one_position()
    {
        var shape = new CursorShape(["b", "a", "b"]);

        Assert.Equal(["a", "b"], shape.Topics);
        Assert.Equal(new CursorShape(["a", "b"]).Format([new("ea", 1), new("eb", 2)]), shape.Format([new("ea", 1), new("eb", 2)]));
        Assert.Equal("ea-1", new CursorShape(["a", "a"]).Format([new("ea", 1)]));
    }

    [Fact]
    public void A_cursor_of_no_topic_is_refused() =>
        Assert.Throws<ArgumentException>(() => new CursorShape([]));

    [Fact]
    public void New_epochs_are_valid_epochs()
    {
        for (var i = 0; i < 100; i++)
        {
            var epoch = Cursor.NewEpoch();
            Assert.True(Cursor.IsEpoch(epoch), $"'{epoch}' is not an epoch.");
        }
    }

    [Theory]
    [InlineData("0mwymahtj0000", "0mwymahtizzzz", true)]
    [InlineData("0mwymahtjaaaa", "0mwymahtj0000", true)]
    [InlineData("0mwymahtj0000", "0mwymahtj0000", false)]
    [InlineData("0mwymahti9999", "0mwymahtj0000", false)]
    public void An_epoch_started_later_is_newer(string candidate, string current, bool newer) =>
        Assert.Equal(newer, Cursor.IsNewer(candidate, current));
}
