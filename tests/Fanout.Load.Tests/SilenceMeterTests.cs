using System.Text;
using Fanout.Load.Subscribers;

namespace Fanout.Load.Tests;

/// <summary>How the tool hears keepalives the SSE parser skips: comment lines found in the bytes as they pass, and the silences between arrivals.</summary>
public sealed class SilenceMeterTests
{
    [Fact]
    public void Comment_lines_are_counted_wherever_reads_split_them_and_whatever_ends_their_lines()
    {
        var meter = new SilenceMeter(0);
        Feed(meter, 1, ": hi\n\nretry: 1000\nevent: fanout.connected\ndata: {}\n\n: opening\n\n");
        Assert.Equal(0, meter.Comments);

        Feed(meter, 2, "event: x\ndata: {\"a\":\":b\"}\n\n: keepalive\r\n\r");
        Feed(meter, 3, "\n:");
        Feed(meter, 4, " keepalive\r\rdata: x: y\r\r");
        Feed(meter, 5, ":");

        // The opening read's comments are not keepalives (nchan opens with ": hi"). Then one after
        // an event, one after "\r\n" split over two reads, one at a read's start after "\r";
        // colons inside lines are not comments.
        Assert.Equal(3, meter.Comments);
    }

    [Fact]
    public void Silence_is_the_longest_quiet_from_the_start_between_arrivals_or_after_the_last()
    {
        var meter = new SilenceMeter(1_000);
        Feed(meter, 3_000, "event: fanout.connected\ndata: {}\n\n");
        Feed(meter, 10_000, ": keepalive\n\n");
        Feed(meter, 11_000, ": keepalive\n\n");
        meter.OnBytes([], 50_000);

        Assert.Equal(7_000, meter.LongestGapMicros);
        Assert.Equal(11_000, meter.LastMicros);
        Assert.Equal(7_000, meter.SilenceUntil(12_000));
        Assert.Equal(19_000, meter.SilenceUntil(30_000));
        Assert.Equal(2, meter.Comments);
    }

    [Fact]
    public void A_stream_that_brought_nothing_is_silent_from_its_start()
    {
        var meter = new SilenceMeter(5_000);

        Assert.Equal(0, meter.Comments);
        Assert.Equal(15_000, meter.SilenceUntil(20_000));
    }

    private static void Feed(SilenceMeter meter, long atMicros, string text) => meter.OnBytes(Encoding.UTF8.GetBytes(text), atMicros);
}
