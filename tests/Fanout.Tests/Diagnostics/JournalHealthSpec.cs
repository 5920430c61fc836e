using Fanout.Diagnostics;
using Xunit;

namespace Fanout.Tests.Diagnostics;

/// <summary>When the journal counts as reachable, from the probes' results.</summary>
public sealed class JournalHealthSpec
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Not_reachable_until_a_probe_was_answered()
    {
        var health = new JournalHealth();
        Assert.False(health.IsReachable);

        health.Failed("refused", T0);
        Assert.False(health.IsReachable);

        health.Succeeded(T0.AddSeconds(2));
        Assert.True(health.IsReachable);
        Assert.Equal(T0.AddSeconds(2), health.Status.LastAnsweredAt);
        Assert.Null(health.Status.LastError);
    }

    [Fact]
    public void One_failed_probe_is_tolerated_two_in_a_row_are_an_outage_and_an_answer_ends_it()
    {
        var health = new JournalHealth();
        health.Succeeded(T0);

        health.Failed("no answer within 3 s", T0.AddSeconds(5));
        Assert.True(health.IsReachable);
        Assert.Equal(1, health.Status.ConsecutiveFailures);

        health.Failed("connection refused", T0.AddSeconds(7));
        Assert.False(health.IsReachable);
        Assert.Equal(new JournalStatus(false, T0, 2, "connection refused"), health.Status);

        health.Succeeded(T0.AddSeconds(9));
        Assert.Equal(new JournalStatus(true, T0.AddSeconds(9), 0, null), health.Status);
    }
}
