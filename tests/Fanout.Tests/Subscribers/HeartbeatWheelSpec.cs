using System.Diagnostics;
using System.Threading.Channels;
using Fanout.Sse;
using Fanout.Subscribers;
using Xunit;

namespace Fanout.Tests.Subscribers;

/// <summary>The node-wide heartbeat wheel, driven tick by tick with timestamps the test picks.</summary>
public sealed class HeartbeatWheelSpec
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(10);
    private static readonly long CheckTicks = (long)(Check.TotalSeconds * Stopwatch.Frequency);

    [Fact]
    public void A_quiet_stream_gets_one_comment_within_one_turn_of_the_wheel()
    {
        using var wheel = new HeartbeatWheel(Check, run: false);
        var channel = Channel.CreateBounded<SseFrame>(4);
        wheel.Add(new StreamKeepAlive(channel.Writer));

        var later = Stopwatch.GetTimestamp() + CheckTicks;
        var written = Turn(wheel, later);

        Assert.Equal(1, written);
        Assert.True(channel.Reader.TryRead(out var frame));
        Assert.Equal(SseEncoder.KeepAlive, frame.Body);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public void A_stream_written_within_the_check_interval_gets_none()
    {
        using var wheel = new HeartbeatWheel(Check, run: false);
        var channel = Channel.CreateBounded<SseFrame>(4);
        var stream = new StreamKeepAlive(channel.Writer);
        wheel.Add(stream);

        stream.Written();
        Assert.Equal(0, Turn(wheel, Stopwatch.GetTimestamp() + (CheckTicks / 2)));
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public void A_full_stream_gets_none_and_is_not_blocked_on()
    {
        using var wheel = new HeartbeatWheel(Check, run: false);
        var channel = Channel.CreateBounded<SseFrame>(1);
        Assert.True(channel.Writer.TryWrite(SseFrame.Of([1])));
        wheel.Add(new StreamKeepAlive(channel.Writer));

        Assert.Equal(0, Turn(wheel, Stopwatch.GetTimestamp() + CheckTicks));
        Assert.True(channel.Reader.TryRead(out var waiting));
        Assert.Equal([1], waiting.Body);
    }

    [Fact]
    public void A_removed_stream_gets_none_and_leaves_the_others_on_the_wheel()
    {
        using var wheel = new HeartbeatWheel(Check, run: false);
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
        Assert.Equal(50, Turn(wheel, Stopwatch.GetTimestamp() + CheckTicks));
        for (var i = 0; i < channels.Length; i++)
        {
            Assert.Equal(i % 2 == 1, channels[i].Reader.TryRead(out _));
        }
    }

    [Fact]
    public void Each_tick_visits_one_slot_so_comments_are_spread_over_the_turn()
    {
        using var wheel = new HeartbeatWheel(Check, run: false);
        for (var i = 0; i < HeartbeatWheel.Slots * 3; i++)
        {
            wheel.Add(new StreamKeepAlive(Channel.CreateBounded<SseFrame>(4).Writer));
        }

        var later = Stopwatch.GetTimestamp() + CheckTicks;
        for (var tick = 0; tick < HeartbeatWheel.Slots; tick++)
        {
            Assert.Equal(3, wheel.Tick(later));
        }
    }

    [Fact]
    public async Task Its_timer_turns_the_wheel()
    {
        using var wheel = new HeartbeatWheel(TimeSpan.FromMilliseconds(100));
        var channel = Channel.CreateBounded<SseFrame>(4);
        wheel.Add(new StreamKeepAlive(channel.Writer));

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frame = await channel.Reader.ReadAsync(patience.Token);
        Assert.Equal(SseEncoder.KeepAlive, frame.Body);
    }

    [Fact]
    public void A_check_interval_that_is_not_positive_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeartbeatWheel(TimeSpan.Zero, run: false));

    /// <summary>Ticks every slot once at <paramref name="now"/>: a whole turn.</summary>
    private static int Turn(HeartbeatWheel wheel, long now) =>
        Enumerable.Range(0, HeartbeatWheel.Slots).Sum(_ => wheel.Tick(now));
}
