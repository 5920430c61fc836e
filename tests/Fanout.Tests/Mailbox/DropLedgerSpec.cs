using Fanout.Mailbox;
using Fanout.Tests.Support;
using Xunit;

namespace Fanout.Tests.Mailbox;

public sealed class DropLedgerSpec
{
    [Fact]
    public void Contiguous_drops_of_a_topic_merge_into_one_run()
    {
        var ledger = new DropLedger();

        foreach (var seq in new long[] { 1, 2, 3, 5, 6, 9 })
        {
            ledger.Record(new TestEvent("a", seq));
        }

        Assert.True(ledger.HasRuns);
        Assert.Equal(
            [new SeqRange("a", 1, 3), new SeqRange("a", 5, 6), new SeqRange("a", 9, 9)],
            ledger.TakeAll());
        Assert.Equal(6, ledger.TotalDropped);
    }

    [Fact]
    public void Runs_are_kept_per_topic_in_drop_order()
    {
        var ledger = new DropLedger();

        ledger.Record(new TestEvent("a", 1));
        ledger.Record(new TestEvent("b", 7));
        ledger.Record(new TestEvent("a", 2));
        ledger.Record(new TestEvent("b", 8));
        ledger.Record(new TestEvent("a", 4));

        var runs = ledger.TakeAll();
        Assert.Equal(
            [new SeqRange("a", 1, 2), new SeqRange("b", 7, 8), new SeqRange("a", 4, 4)],
            runs);
        Assert.Equal(5, runs.Sum(r => r.Count));
    }

    [Fact]
    public void TakeAll_empties_the_ledger_and_later_drops_start_new_runs()
    {
        var ledger = new DropLedger();
        ledger.Record(new TestEvent("a", 1));
        ledger.Record(new TestEvent("a", 2));

        Assert.Equal([new SeqRange("a", 1, 2)], ledger.TakeAll());
        Assert.False(ledger.HasRuns);
        Assert.Empty(ledger.TakeAll());

        // Seq 3 follows the taken run, but that run was already reported: it is not extended.
        ledger.Record(new TestEvent("a", 3));
        Assert.Equal([new SeqRange("a", 3, 3)], ledger.TakeAll());
        Assert.Equal(3, ledger.TotalDropped);
    }
}
