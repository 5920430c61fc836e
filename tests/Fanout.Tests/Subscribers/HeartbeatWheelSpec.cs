using System.Diagnostics;
using System.Threading.Channels;
using Fanout.Sse;
using Fanout.Subscribers;
using Xunit;

namespace Fanout.Tests.Subscribers;

/// <summary>The node-wide heartbeat wheel, driven turn by turn with timestamps the test picks.</summary>
public sealed class HeartbeatWheelSpec
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(16);
    private static readonly long TurnTicks = Stopwatch.Frequency * 4;
    private static readonly long IntervalTicks = Stopwatch.Frequency * 16;

    [Fact]
    public void A_turn_is_a_quarter_of_the_interval() =>
        Assert.Equal(TimeSpan.FromSeconds(4), new HeartbeatWheel(Interval, run: false).Turn);

    [Fact]
    public void A_stream_quiet_for_two_and_a_half_turns_gets_one_comment_and_not_before()
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        var channel = Channel.CreateBounded<SseFrame>(4);
        var stream = new StreamKeepAlive(channel.Writer);
        var start = Stopwatch.GetTimestamp();
        stream.Written(start);
        wheel.Add(stream);

        Assert.Equal(0, Turn(wheel, start + (2 * TurnTicks)));
        Assert.False(channel.Reader.TryRead(out _));

        Assert.Equal(1, Turn(wheel, start + (5 * TurnTicks / 2)));
        Assert.True(channel.Reader.TryRead(out var frame));
        Assert.Equal(SseEncoder.KeepAlive, frame.Body);
        Assert.False(channel.Reader.TryRead(out _));
    }

    /// <summary>
    /// Whenever the last frame went out, the next comment comes within ⅞ of the interval of
    /// it (the visits' own lateness aside), and an idle stream hears one every ¾.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void No_stream_goes_silent_for_the_interval_wherever_its_last_frame_fell_between_visits(double turnsAfterVisit)
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        var channel = Channel.CreateBounded<SseFrame>(64);
        var stream = new StreamKeepAlive(channel.Writer);
        wheel.Add(stream);
        var start = Stopwatch.GetTimestamp();
        var lastFrame = start + (long)(turnsAfterVisit * TurnTicks);
        stream.Written(lastFrame);

        var gaps = new List<long>();
        for (var turn = 1; turn <= 40; turn++)
        {
            var now = start + (turn * TurnTicks);
            if (Turn(wheel, now) == 1)
            {
                gaps.Add(now - lastFrame);
                lastFrame = now;
            }
        }

        Assert.True(gaps.Count >= 12, $"{gaps.Count} comments in 40 turns");
        Assert.All(gaps, gap => Assert.True(gap <= IntervalTicks * 7 / 8, $"silent for {gap / (double)Stopwatch.Frequency:F2} s"));
        Assert.All(gaps.Skip(1), gap => Assert.Equal(3 * TurnTicks, gap));
    }

    [Fact]
    public void A_stream_written_recently_gets_none()
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        var channel = Channel.CreateBounded<SseFrame>(4);
        var stream = new StreamKeepAlive(channel.Writer);
        wheel.Add(stream);

        stream.Written();
        Assert.Equal(0, Turn(wheel, Stopwatch.GetTimestamp() + TurnTicks));
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public void A_full_stream_gets_none_and_is_not_blocked_on()
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        var channel = Channel.CreateBounded<SseFrame>(1);
        Assert.True(channel.Writer.TryWrite(SseFrame.Of([1])));
        wheel.Add(new StreamKeepAlive(channel.Writer));

        Assert.Equal(0, Turn(wheel, Stopwatch.GetTimestamp() + IntervalTicks));
        Assert.True(channel.Reader.TryRead(out var waiting));
        Assert.Equal([1], waiting.Body);
    }

    [Fact]
    public void A_removed_stream_gets_none_and_leaves_the_others_on_the_wheel()
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        var channels = Enumerable.Range(0, 100).Select(_ => Channel.CreateBounded<SseFrame>(4)).ToArray();
        var streams = channels.Select(c => new StreamKeepAlive(c.Writer)).ToArray();
        foreach (var stream in streams)
        {
            wheel.Add(stream);
        }

        foreach (var stream in streams.Where((_, i) => i % 2 == 0))
        {
            wheel.Remove(stream);
        }

        wheel.Remove(streams[0]);
        Assert.Equal(50, wheel.Count);
        Assert.Equal(50, Turn(wheel, Stopwatch.GetTimestamp() + IntervalTicks));
        for (var i = 0; i < channels.Length; i++)
        {
            Assert.Equal(i % 2 == 1, channels[i].Reader.TryRead(out _));
        }
    }

    [Fact]
    public void Each_tick_visits_one_slot_so_comments_are_spread_over_the_turn()
    {
        using var wheel = new HeartbeatWheel(Interval, run: false);
        for (var i = 0; i < HeartbeatWheel.Slots * 3; i++)
        {
            wheel.Add(new StreamKeepAlive(Channel.CreateBounded<SseFrame>(4).Writer));
        }

        var later = Stopwatch.GetTimestamp() + IntervalTicks;
        for (var tick = 0; tick < HeartbeatWheel.Slots; tick++)
        {
            Assert.Equal(3, wheel.Tick(later));
        }
    }

    [Fact]
    public async Task Its_timer_turns_the_wheel()
    {
        using var wheel = new HeartbeatWheel(TimeSpan.FromMilliseconds(400));
        var channel = Channel.CreateBounded<SseFrame>(4);
        wheel.Add(new StreamKeepAlive(channel.Writer));

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frame = await channel.Reader.ReadAsync(patience.Token);
        Assert.Equal(SseEncoder.KeepAlive, frame.Body);
    }

    [Fact]
    public void An_interval_that_is_not_positive_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeartbeatWheel(TimeSpan.Zero, run: false));

    /// <summary>Ticks every slot once at <paramref name="now"/>: a whole turn.</summary>
    private static int Turn(HeartbeatWheel wheel, long now) =>
        Enumerable.Range(0, HeartbeatWheel.Slots).Sum(_ => wheel.Tick(now));
}
