using Fanout.Load.Cli;

namespace Fanout.Load.Tests;

/// <summary>
/// <c>--heartbeat-within</c> against a node in this process with a 1 s heartbeat: the node
/// comments on an idle stream after it was quiet for a whole check interval (0.5 s), so
/// every 0.5 to 1 s. A bound it can meet passes; one shorter than that quiet, or a node that
/// sends no comments, fails the run.
/// </summary>
public sealed class HeartbeatCheckTests
{
    private const string OneSecondHeartbeat = "--Fanout:Subscriber:HeartbeatSeconds=1";

    [Fact]
    public async Task Every_idle_subscriber_hears_a_keepalive_within_a_bound_the_node_can_meet()
    {
        await using var node = await InProcessNode.StartAsync(OneSecondHeartbeat);
        var options = Options(node, subscribers: 8, holdSeconds: 4, boundSeconds: 3);

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        var heartbeats = summary.Heartbeats;
        Assert.NotNull(heartbeats);
        Assert.True(summary.Passed, json);
        Assert.Equal(8, heartbeats!.Subscribers);
        Assert.Equal(8, heartbeats.OnTime);
        Assert.Equal(0, heartbeats.NoHeartbeat + heartbeats.Late);

        // Four seconds of 0.5-1 s keepalives: at least three per subscriber, and a silence of at
        // least the node's quiet interval (it never comments sooner) but within the bound.
        Assert.True(heartbeats.Comments >= 8 * 3, json);
        Assert.InRange(heartbeats.MaxSilenceSeconds, 0.5, 3);
        Assert.Equal(8, heartbeats.SilenceMs.Count);
        Assert.True(summary.Subscribers.ConnectSeconds > 0, json);
    }

    [Fact]
    public async Task A_bound_shorter_than_the_nodes_quiet_interval_fails_the_run()
    {
        await using var node = await InProcessNode.StartAsync(OneSecondHeartbeat);
        var options = Options(node, subscribers: 4, holdSeconds: 2, boundSeconds: 0.3);

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        var heartbeats = summary.Heartbeats!;
        Assert.False(summary.Passed, json);
        Assert.Equal(4, heartbeats.Subscribers);
        Assert.Equal(4, heartbeats.WithHeartbeat);
        Assert.Equal(4, heartbeats.Late);
        Assert.Equal(0, heartbeats.OnTime);
        Assert.True(heartbeats.MaxSilenceSeconds >= 0.5, json);
    }

    [Fact]
    public async Task A_node_that_sends_no_keepalives_fails_the_run()
    {
        await using var node = await InProcessNode.StartAsync("--Fanout:Subscriber:HeartbeatSeconds=0");
        var options = Options(node, subscribers: 3, holdSeconds: 1.5, boundSeconds: 1.5);

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        var heartbeats = summary.Heartbeats!;
        Assert.False(summary.Passed, json);
        Assert.Equal(3, heartbeats.NoHeartbeat);
        Assert.Equal(0, heartbeats.Comments);
        Assert.Equal(0, heartbeats.OnTime);
    }

    [Fact]
    public void The_command_line_sets_the_bound_and_refuses_it_without_a_hold_as_long()
    {
        var parse = LoadCommand.Create().Parse(["--base", "http://127.0.0.1:8080", "-m", "0", "--hold", "40", "--heartbeat-within", "16"]);
        var options = LoadCommand.ToOptions(parse, ServerPreset.Fanout);

        Assert.Equal(16, options.HeartbeatWithinSeconds);
        Assert.Empty(LoadOptionsValidator.Validate(options));
        Assert.Contains(LoadOptionsValidator.Validate(options with { HoldSeconds = 10 }), p => p.Contains("--heartbeat-within", StringComparison.Ordinal));
        Assert.Contains(LoadOptionsValidator.Validate(options with { Slow = options.Subscribers }), p => p.Contains("--heartbeat-within", StringComparison.Ordinal));
    }

    private static LoadOptions Options(InProcessNode node, int subscribers, double holdSeconds, double boundSeconds)
    {
        var options = node.FanoutRun("heartbeat-test-") with
        {
            WarmupUrl = null,
            Subscribers = subscribers,
            Events = 0,
            HoldSeconds = holdSeconds,
            HeartbeatWithinSeconds = boundSeconds,
            MaxSeconds = 60,
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));
        return options;
    }
}
