using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Topics;
using Xunit;

namespace Fanout.Tests.Subscribers;

/// <summary><see cref="ResumePlan"/> on its own: what a Last-Event-ID means for each topic, before any frame is written.</summary>
public sealed class ResumePlanSpec
{
    private static readonly CursorShape Shape = new(["a", "b"]);

    // Where each topic's live feed starts: a at seq 10, b at seq 4.
    private static readonly Dictionary<string, TopicPosition> Starts = new()
    {
        ["a"] = new("ea", 10),
        ["b"] = new("eb", 4),
    };

    [Fact]
    public void Without_a_cursor_every_topic_starts_live_and_nothing_is_checked()
    {
        var plan = ResumePlan.Settle(Shape, ["b", "a"], null, Starts);

        Assert.False(plan.CursorGiven);
        Assert.False(plan.Resumed);
        Assert.Empty(plan.ToCheck);
        Assert.Empty(plan.Resets);
        Assert.Equal([Starts["a"], Starts["b"]], plan.Positions);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void A_cursor_of_these_topics_is_checked_against_each_topics_history_whatever_the_request_order(string first, string second)
    {
        var cursor = Shape.Format([new("ea", 7), new("eb", 4)]);

        var plan = ResumePlan.Settle(Shape, [first, second], cursor, Starts);

        Assert.Equal(
            [(Slot("a"), new TopicPosition("ea", 7), 10L), (Slot("b"), new TopicPosition("eb", 4), 4L)],
            plan.ToCheck.OrderBy(c => c.Slot));
        Assert.Equal(first, Shape.Topics[plan.ToCheck[0].Slot]);

        foreach (var (slot, from, upTo) in plan.ToCheck)
        {
            plan.Check(slot, from, History(Shape.Topics[slot], from.Epoch, firstAvailable: 1, last: upTo));
        }

        Assert.True(plan.Resumed);
        Assert.Empty(plan.Resets);
        Assert.Equal([new TopicPosition("ea", 7), new TopicPosition("eb", 4)], plan.Positions);
        Assert.Equal([(Slot("a"), 10L), (Slot("b"), 4L)], plan.Replays.Select(r => (r.Slot, r.UpTo)).OrderBy(r => r.Slot));
    }

    [Fact]
    public void A_position_taken_before_a_topics_first_event_replays_that_topic_from_its_start_without_a_reset()
    {
        // The stream saw topic a before it had any event (epoch "0"); a then drew epoch "ea".
        var cursor = Shape.Format([new(TopicLog.EmptyEpoch, 0), new("eb", 4)]);

        var plan = ResumePlan.Settle(Shape, ["a", "b"], cursor, Starts);

        Assert.Empty(plan.Resets);
        Assert.Contains((Slot("a"), new TopicPosition("ea", 0), 10L), plan.ToCheck);
    }

    [Fact]
    public void A_position_in_epoch_zero_past_seq_zero_is_not_the_empty_topic_and_resets()
    {
        var cursor = Shape.Format([new(TopicLog.EmptyEpoch, 3), new("eb", 4)]);

        var plan = ResumePlan.Settle(Shape, ["a", "b"], cursor, Starts);

        Assert.Equal([("a", ResetReason.EpochChanged)], plan.Resets);
    }

    [Fact]
    public void A_topic_named_twice_is_checked_and_reset_once()
    {
        var cursor = Shape.Format([new("ea", 7), new("old", 2)]);

        var plan = ResumePlan.Settle(Shape, ["a", "b", "a", "b"], cursor, Starts);

        Assert.Equal([Slot("a")], plan.ToCheck.Select(c => c.Slot));
        Assert.Equal([("b", ResetReason.EpochChanged)], plan.Resets);
    }

    [Theory]
    [InlineData("ea-7")] // one position for two topics
    [InlineData("ea-7_eb-4")] // positions without the topic set's tag
    [InlineData("ea-7_eb-4_ec-1")]
    [InlineData("garbage")]
    public void A_cursor_that_does_not_fit_the_topics_resets_each_as_invalid_in_request_order(string cursor)
    {
        var plan = ResumePlan.Settle(Shape, ["b", "a"], cursor, Starts);

        Assert.True(plan.CursorGiven);
        Assert.False(plan.Resumed);
        Assert.Empty(plan.ToCheck);
        Assert.Equal([("b", ResetReason.CursorInvalid), ("a", ResetReason.CursorInvalid)], plan.Resets);
        Assert.Equal([Starts["a"], Starts["b"]], plan.Positions);
    }

    [Fact]
    public void A_cursor_of_other_topics_with_the_same_count_is_invalid_not_epoch_changed()
    {
        var other = new CursorShape(["a", "c"]).Format([new("ea", 7), new("ec", 1)]);

        var plan = ResumePlan.Settle(Shape, ["a", "b"], other, Starts);

        Assert.Equal([("a", ResetReason.CursorInvalid), ("b", ResetReason.CursorInvalid)], plan.Resets);
    }

    [Fact]
    public void A_position_of_an_older_epoch_is_reset_as_epoch_changed_and_the_other_topic_still_resumes()
    {
        var cursor = Shape.Format([new("ea", 7), new("old", 2)]);

        var plan = ResumePlan.Settle(Shape, ["b", "a"], cursor, Starts);
        var check = Assert.Single(plan.ToCheck);
        plan.Check(check.Slot, check.From, History("a", "ea", firstAvailable: 1, last: 10));

        Assert.Equal([("b", ResetReason.EpochChanged)], plan.Resets);
        Assert.False(plan.Resumed);
        Assert.Equal([new TopicPosition("ea", 7), Starts["b"]], plan.Positions);
        Assert.Equal(Slot("a"), Assert.Single(plan.Replays).Slot);
    }

    [Theory]
    [InlineData("ea", 1, 10, 7, null)] // history holds seq 8 on: replay
    [InlineData("ea", 8, 10, 7, null)] // seq 8 is the oldest held: nothing is missing
    [InlineData("ea", 9, 10, 7, ResetReason.CursorExpired)] // seq 8 is gone
    [InlineData("ea", 1, 6, 7, ResetReason.CursorInvalid)] // past the topic's last event
    [InlineData("eb2", 1, 10, 7, ResetReason.EpochChanged)] // the topic restarted meanwhile
    public void The_first_history_page_decides_a_topic(string epoch, long firstAvailable, long last, long fromSeq, string? reset)
    {
        var single = new CursorShape(["a"]);
        var plan = ResumePlan.Settle(single, ["a"], $"ea-{fromSeq}", Starts);

        var check = Assert.Single(plan.ToCheck);
        plan.Check(check.Slot, check.From, History("a", epoch, firstAvailable, last));

        if (reset is null)
        {
            Assert.Empty(plan.Resets);
            Assert.Equal(new TopicPosition("ea", fromSeq), plan.Positions[0]);
            Assert.Single(plan.Replays);
        }
        else
        {
            Assert.Equal([("a", reset)], plan.Resets);
            Assert.Equal(Starts["a"], plan.Positions[0]);
            Assert.Empty(plan.Replays);
        }
    }

    [Fact]
    public void A_cursor_at_the_live_start_of_an_expired_history_is_no_reset()
    {
        // Nothing after seq 10 is needed, so a history that starts later does not matter.
        var plan = ResumePlan.Settle(new CursorShape(["a"]), ["a"], "ea-10", Starts);
        var check = Assert.Single(plan.ToCheck);

        plan.Check(check.Slot, check.From, History("a", "ea", firstAvailable: 11, last: 10));

        Assert.True(plan.Resumed);
    }

    private static int Slot(string topic) => Shape.TryGetSlot(topic, out var slot) ? slot : throw new ArgumentException(topic);

    private static HistorySlice History(string topic, string epoch, long firstAvailable, long last) =>
        new(topic, epoch, firstAvailable, last, []);
}
