using System.Diagnostics;
using Fanout.Load.Reporting;

namespace Fanout.Load.Tests;

/// <summary>Runs the load tool's core for a few seconds against a node in this process, so the tool keeps working.</summary>
public sealed class LoadRunTests
{
    private const double MiB = 1024 * 1024;

    [Fact]
    public async Task Fast_subscribers_get_every_event_and_the_figures_agree_with_the_os()
    {
        // 1,000 events fit the default mailbox (1,024 events, 2 MiB), so a fast subscriber can
        // never be dropped from, however the machine schedules it.
        await using var node = await InProcessNode.StartAsync();
        var options = Options(node, events: 1000, subscribers: 6, slow: 2);
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        self.Refresh();
        var cpuDuringRun = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        var json = summary.ToJsonLine();
        Assert.False(summary.TimedOut, json);
        Assert.Equal(6, summary.Subscribers.Ready);
        Assert.Equal(1000, summary.Publish.Succeeded);
        Assert.True(summary.Fast.Delivered == 4 * 1000, json);
        Assert.Equal(1.0, summary.Fast.DeliveryRatio);
        Assert.Equal(4, summary.Fast.Complete);
        Assert.Equal(0, summary.Fast.OrderViolations + summary.Fast.SilentGaps + summary.Fast.Duplicates);
        Assert.Equal(4 * 1000, summary.Fast.LatencyMs.Count);

        // Latencies are measured from the publish to the receipt: inside the run, never zero.
        Assert.True(summary.Fast.LatencyMs.P50 > 0, json);
        Assert.True(summary.Fast.LatencyMs.Max <= summary.DurationSeconds * 1000, json);
        Assert.True(summary.Slow.CoveredExactly == 2, json);
        Assert.Equal(2 * 1000, summary.Slow.ReceivedTotal + summary.Slow.LaggedSeqs);
        Assert.Equal(summary.Slow.Missed, summary.Slow.LaggedSeqs);

        // The "server" is this process, so its figures must agree with what the OS says of it:
        // the sampled RSS peak lies between the samples and the OS's own peak (VmHWM), and
        // the CPU of the run is this process's CPU over the run.
        var server = summary.Server;
        Assert.NotNull(server);
        var samples = new[] { server!.RssStartMiB, server.RssConnectedMiB, server.RssEndMiB };
        Assert.True(server.RssPeakMiB >= samples.Max() - 0.1, json);
        Assert.True(server.RssPeakMiB <= self.PeakWorkingSet64 / MiB + 1, $"sampled peak {server.RssPeakMiB} MiB, OS peak {self.PeakWorkingSet64 / MiB:0.0} MiB");
        Assert.InRange(summary.Tool.CpuSecondsTotal, cpuDuringRun * 0.5 - 0.1, cpuDuringRun + 0.1);
        Assert.True(server.CpuSeconds <= summary.Tool.CpuSecondsTotal + 0.05, json);
    }

    [Fact]
    public async Task Stalled_subscribers_that_overflow_their_mailbox_account_for_every_seq_with_lagged_ranges()
    {
        // A 16-event mailbox, and more bytes than a stalled subscriber's socket can hold: the
        // kernel grows the node's send buffer of a connection up to tcp_wmem's maximum (4 MiB
        // by default), so 2,000 events of 1 KiB could all sit there and nothing would
        // overflow. Twice that maximum in 4 KiB events cannot, so it must be told of drops.
        // Fast subscribers may drop too on a busy machine; whatever anyone lost is reported,
        // never silent.
        const int payloadBytes = 4096;
        var events = (int)Math.Clamp(2 * LargestSocketSendBuffer() / payloadBytes, 2000, 20_000);
        await using var node = await InProcessNode.StartAsync("--Fanout:Subscriber:MaxEvents=16");
        var options = Options(node, events, subscribers: 4, slow: 2) with { PayloadBytes = payloadBytes };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.False(summary.TimedOut, json);
        Assert.Equal(events, summary.Publish.Succeeded);
        Assert.True(summary.Slow.LaggedRanges > 0 && summary.Slow.LaggedSeqs > 0, "the stalled subscribers overflowed: " + json);
        Assert.True(summary.Slow.CoveredExactly == 2, json);
        Assert.Equal(2 * events, summary.Slow.ReceivedTotal + summary.Slow.LaggedSeqs);
        Assert.Equal(0, summary.Slow.SilentGaps + summary.Slow.OrderViolations);
        Assert.Equal(0, summary.Fast.SilentGaps + summary.Fast.OrderViolations + summary.Fast.Duplicates);
        Assert.True(summary.Fast.Delivered + summary.Fast.LaggedSeqs == 2 * events, json);
    }

    [Fact]
    public async Task Batched_publishes_reach_subscribers_as_single_events_in_order_and_count_in_events()
    {
        await using var node = await InProcessNode.StartAsync();
        var options = Options(node, events: 995, subscribers: 2, slow: 0) with
        {
            PublishUrl = ServerPreset.Fanout.PublishBatchUrl!.Replace(Placeholders.Base, node.BaseUrl),
            Batch = 10,
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.False(summary.TimedOut, json);
        Assert.Equal(995, summary.Publish.Succeeded);
        Assert.Equal(0, summary.Publish.Failed);
        Assert.True(summary.Fast.Delivered == 2 * 995, json);
        Assert.Equal(0, summary.Fast.OrderViolations + summary.Fast.SilentGaps + summary.Fast.Duplicates);
    }

    /// <summary>The most a TCP socket's send buffer grows to here (Linux: tcp_wmem's third field).</summary>
    private static long LargestSocketSendBuffer()
    {
        const string tcpWmem = "/proc/sys/net/ipv4/tcp_wmem";
        const long linuxDefault = 4 * 1024 * 1024;
        return File.Exists(tcpWmem) && File.ReadAllText(tcpWmem).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [_, _, var max]
            && long.TryParse(max, out var bytes)
            ? bytes
            : linuxDefault;
    }

    private static LoadOptions Options(InProcessNode node, int events, int subscribers, int slow)
    {
        var options = node.FanoutRun("load-test-") with
        {
            Subscribers = subscribers,
            Slow = slow,
            SlowReceiveBuffer = 4096,
            Events = events,
            PayloadBytes = 1024,
            InFlight = 8,
            PublishSeconds = 60,
            DrainIdleSeconds = 10,
            MaxSeconds = 90,
            ServerPids = [Environment.ProcessId],
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));
        return options;
    }
}
