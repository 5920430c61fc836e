using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Topics;

/// <summary>The per-node bound on live topics: the least recently used one is the one told to go.</summary>
public sealed class ActiveTopicsSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public void Past_the_limit_the_least_recently_touched_topic_is_told_to_passivate()
    {
        var active = new ActiveTopics(2);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());

        active.Touch("a", a.Ref);
        active.Touch("b", b.Ref);
        active.Touch("a", a.Ref);
        active.Touch("c", c.Ref);

        b.ExpectMsg<PassivateTopic>();
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        c.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(2, active.Count);
    }

    [Fact]
    public void A_stopped_topic_leaves_but_not_a_newer_incarnation_of_it()
    {
        var active = new ActiveTopics(10);
        var (old, fresh) = (CreateTestProbe(), CreateTestProbe());

        active.Touch("a", old.Ref);
        active.Touch("a", fresh.Ref);
        active.Remove("a", old.Ref);
        Assert.Equal(1, active.Count);

        active.Remove("a", fresh.Ref);
        Assert.Equal(0, active.Count);
    }

    [Fact]
    public void Without_a_limit_nothing_is_kept_or_passivated()
    {
        var active = new ActiveTopics(0);
        var probes = Enumerable.Range(0, 20).Select(_ => CreateTestProbe()).ToList();

        for (var i = 0; i < probes.Count; i++)
        {
            active.Touch($"t{i}", probes[i].Ref);
        }

        Assert.Equal(0, active.Count);
        probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
