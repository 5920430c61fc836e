using Fanout.Load.Reporting;

namespace Fanout.Load.Tests;

/// <summary>Runs the load tool's core for a few seconds against a node in this process, so the tool keeps working.</summary>
public sealed class LoadRunTests
{
    [Fact]
    public async Task Fast_subscribers_get_every_event_and_stalled_ones_account_for_every_seq()
    {
        // 1,000 events fit the default mailbox (1,024 events, 2 MiB), so a fast subscriber can
        // never be dropped from, however the machine schedules it. Stalled subscribers are
        // checked the same way: what they got plus any lagged ranges cover every seq exactly.
        await using var node = await InProcessNode.StartAsync();
        var preset = ServerPreset.Fanout;
        var options = new LoadOptions
        {
            PublishUrl = preset.PublishUrl.Replace(Placeholders.Base, node.BaseUrl),
            PublishBody = preset.PublishBody,
            PublishContentType = preset.PublishContentType,
            SubscribeUrls = [preset.SubscribeUrl.Replace(Placeholders.Base, node.BaseUrl)],
            WarmupUrl = preset.WarmupUrl.Replace(Placeholders.Base, node.BaseUrl),
            ReadyEvent = preset.ReadyEvent,
            SeqFromEventId = preset.SeqFromEventId,
            Channel = "load-test",
            Subscribers = 6,
            Slow = 2,
            SlowReceiveBuffer = 4096,
            Events = 1000,
            PayloadBytes = 1024,
            InFlight = 8,
            PublishSeconds = 60,
            DrainIdleSeconds = 10,
            MaxSeconds = 90,
            ServerPids = [Environment.ProcessId],
            ProgressSeconds = 0,
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.False(summary.TimedOut, json);
        Assert.Equal(6, summary.Subscribers.Ready);
        Assert.Equal(1000, summary.Publish.Succeeded);
        Assert.True(summary.Fast.Delivered == 4 * 1000, json);
        Assert.Equal(1.0, summary.Fast.DeliveryRatio);
        Assert.Equal(4, summary.Fast.Complete);
        Assert.Equal(0, summary.Fast.OrderViolations + summary.Fast.SilentGaps + summary.Fast.Duplicates);
        Assert.Equal(4 * 1000, summary.Fast.LatencyMs.Count);
        Assert.True(summary.Fast.LatencyMs.P50 > 0 && summary.Fast.LatencyMs.P50 <= summary.Fast.LatencyMs.P99);
        Assert.True(summary.Slow.CoveredExactly == 2, json);
        Assert.Equal(2 * 1000, summary.Slow.ReceivedTotal + summary.Slow.LaggedSeqs);
        Assert.Equal(summary.Slow.Missed, summary.Slow.LaggedSeqs);
        Assert.NotNull(summary.Server);
        Assert.True(summary.Server!.RssPeakMiB > 0);
        Assert.True(summary.Tool.CpuSecondsTotal > 0);
    }
}
