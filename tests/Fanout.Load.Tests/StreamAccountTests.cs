using Fanout.Load.Subscribers;

namespace Fanout.Load.Tests;

/// <summary>The checks the tool makes on a stream: what a lagged range must cover, what counts as a silent gap.</summary>
public sealed class StreamAccountTests
{
    [Fact]
    public void Events_and_lagged_ranges_that_cover_every_seq_leave_no_gap()
    {
        var account = new StreamAccount(10);
        account.StartAt(0);
        Deliver(account, 1, 3);
        account.OnLagged(4, 6);
        Deliver(account, 7, 10);

        Assert.Equal(7, account.Received);
        Assert.Equal(3, account.LaggedSeqs);
        Assert.Equal(10, account.Accounted);
        Assert.Equal(10, account.Position);
        Assert.Equal((0L, 0L, 0L), (account.SilentGaps, account.OrderViolations, account.Duplicates));
    }

    [Fact]
    public void A_skipped_seq_without_a_lagged_range_is_a_silent_gap()
    {
        var account = new StreamAccount(10);
        account.StartAt(0);
        Deliver(account, 1, 2);
        Deliver(account, 5, 5);

        Assert.Equal(2, account.SilentGaps);
        Assert.False(account.Saw(3));
    }

    [Fact]
    public void A_lagged_range_over_seqs_already_received_is_an_order_violation()
    {
        var account = new StreamAccount(10);
        account.StartAt(0);
        Deliver(account, 1, 4);
        account.OnLagged(3, 6);

        Assert.Equal(1, account.OrderViolations);
        Assert.Equal(6, account.Position);
    }

    [Fact]
    public void An_event_received_twice_counts_once()
    {
        var account = new StreamAccount(10);
        account.StartAt(0);
        Deliver(account, 1, 2);
        account.OnEvent(2, 2, 0);

        Assert.Equal(2, account.Received);
        Assert.Equal(1, account.Duplicates);
        Assert.Equal(1, account.OrderViolations);
    }

    private static void Deliver(StreamAccount account, long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            account.OnEvent(seq, seq, seq * 10);
        }
    }
}
