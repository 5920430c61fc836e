using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Fanout.Diagnostics;
using Fanout.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Diagnostics;

/// <summary>
/// The journal probe against a real journal actor (Akka.Persistence.TestKit's, whose
/// connection the test makes fail or hang), so the query goes through the journal's own
/// machinery, circuit breaker included.
/// </summary>
public sealed class JournalProbeSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly JournalProbeSettings Fast = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

    public JournalProbeSpec(ITestOutputHelper output)
        : base(TestJournalConfig.Config, output: output)
    {
    }

    private IActorRef JournalRef => Persistence.Instance.Apply(Sys).JournalFor(null);

    private ITestJournal Journal => TestJournal.FromRef(JournalRef);

    [Fact]
    public async Task A_journal_that_answers_is_reachable()
    {
        var health = StartProbe();

        await AwaitAssertAsync(() => Assert.True(health.IsReachable), Patience);
        Assert.NotNull(health.Status.LastAnsweredAt);
    }

    [Fact]
    public async Task A_journal_whose_store_fails_becomes_unreachable_and_reachable_again_once_it_answers()
    {
        var health = StartProbe();
        await AwaitAssertAsync(() => Assert.True(health.IsReachable), Patience);

        await Journal.OnConnect.Fail();
        await AwaitAssertAsync(() => Assert.False(health.IsReachable), Patience);
        Assert.NotNull(health.Status.LastError);
        Assert.True(health.Status.ConsecutiveFailures >= JournalHealth.FailuresBeforeUnreachable);

        await Journal.OnConnect.Pass();
        await AwaitAssertAsync(() => Assert.True(health.IsReachable), Patience);
    }

    [Fact]
    public async Task A_journal_that_does_not_answer_in_time_becomes_unreachable()
    {
        var health = StartProbe();
        await AwaitAssertAsync(() => Assert.True(health.IsReachable), Patience);

        await Journal.OnConnect.PassWithDelay(TimeSpan.FromSeconds(30));
        await AwaitAssertAsync(() => Assert.False(health.IsReachable), Patience);
        Assert.Contains("no answer within", health.Status.LastError);
    }

    [Fact]
    public void Only_one_probe_is_in_flight_while_the_journal_does_not_answer()
    {
        var journal = CreateTestProbe();
        var health = new JournalHealth();
        Sys.ActorOf(JournalProbe.Props(journal.Ref, health, new JournalProbeSettings(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(4))));

        var first = journal.ExpectMsg<ReplayMessages>(Patience);
        Assert.Equal(JournalProbe.PersistenceId, first.PersistenceId);
        Assert.Equal(0, first.Max);

        // Ticks every 50 ms, but nothing more is asked until the first probe timed out (4 s:
        // far beyond the quiet second watched here, even when a busy machine delays the first).
        journal.ExpectNoMsg(TimeSpan.FromSeconds(1));
        journal.ExpectMsg<ReplayMessages>(Patience);
        Assert.Equal(1, health.Status.ConsecutiveFailures);
    }

    [Fact]
    public async Task The_extension_probes_the_default_journal_once_per_system()
    {
        var health = JournalHealthExtension.Get(Sys);

        Assert.Same(health, JournalHealthExtension.Get(Sys));
        await AwaitAssertAsync(() => Assert.True(health.IsReachable), Patience);
    }

    private JournalHealth StartProbe()
    {
        var health = new JournalHealth();
        Sys.ActorOf(JournalProbe.Props(JournalRef, health, Fast));
        return health;
    }
}
