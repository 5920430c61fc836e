using Fanout.Sse;
using Xunit;

namespace Fanout.Tests.Sse;

public sealed class CursorSpec
{
    [Fact]
    public void Single_topic_cursor_is_epoch_dash_seq()
    {
        Assert.Equal("0abc9-42", Cursor.Format([new TopicPosition("0abc9", 42)]));
        Assert.Equal("e-0", new TopicPosition("e", 0).ToString());
    }

    [Fact]
    public void Multi_topic_cursor_joins_positions_in_topic_order_with_underscores()
    {
        TopicPosition[] positions = [new("ea", 1), new("eb", 20), new("ec", 0)];

        Assert.Equal("ea-1_eb-20_ec-0", Cursor.Format(positions));
    }

    [Theory]
    [InlineData("ab12-0", 1)]
    [InlineData("ab12-9223372036854775807", 1)]
    [InlineData("0mwymahtjtty4-17", 1)]
    [InlineData("ea-1_eb-20", 2)]
    [InlineData("ea-1_eb-20_ec-0", 3)]
    public void Formatting_a_parsed_cursor_gives_it_back(string text, int topics)
    {
        Assert.True(Cursor.TryParse(text, topics, out var positions));
        Assert.Equal(topics, positions.Length);
        Assert.Equal(text, Cursor.Format(positions));
    }

    [Fact]
    public void Parsing_a_formatted_cursor_gives_the_positions_back()
    {
        TopicPosition[] positions = [new(Cursor.NewEpoch(), 5), new(Cursor.NewEpoch(), 0)];

        Assert.True(Cursor.TryParse(Cursor.Format(positions), 2, out var parsed));
        Assert.Equal(positions, parsed);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("abc", 1)] // no seq
    [InlineData("-5", 1)] // no epoch
    [InlineData("abc-", 1)] // empty seq
    [InlineData("abc--5", 1)] // negative seq
    [InlineData("abc-+5", 1)] // signed seq
    [InlineData("abc-5 ", 1)] // trailing space
    [InlineData(" abc-5", 1)] // leading space
    [InlineData("abc-1-2", 1)]
    [InlineData("abc-0x10", 1)]
    [InlineData("abc-99999999999999999999", 1)] // seq overflows a long
    [InlineData("ABC-5", 1)] // epochs are lower case
    [InlineData("ab.c-5", 1)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456-5", 1)] // epoch of 33 characters
    [InlineData("ea-1_eb-2", 1)] // two positions for one topic
    [InlineData("ea-1", 2)] // one position for two topics
    [InlineData("ea-1_", 2)]
    [InlineData("ea-1__eb-2", 2)]
    public void Rejects_what_is_not_a_cursor_for_the_subscription(string? text, int topics)
    {
        Assert.False(Cursor.TryParse(text, topics, out var positions));
        Assert.Null(positions);
    }

    [Fact]
    public void Epoch_of_the_maximum_length_is_accepted()
    {
        var epoch = new string('z', Cursor.MaxEpochLength);

        Assert.True(Cursor.TryParse($"{epoch}-3", 1, out var positions));
        Assert.Equal(new TopicPosition(epoch, 3), positions[0]);
    }

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
