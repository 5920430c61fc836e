using System.Diagnostics;
using Microsoft.Extensions.Logging;
using System.Net.ServerSentEvents;
using Xunit.Abstractions;

namespace Fanout.Operations.Tests;

/// <summary>Shutdown, measured: a node with 1,000 subscribers leaves within its drain time (issue 6).</summary>
public sealed class ShutdownSpec
{
    private const int Subscribers = 1000;
    private const int Topics = 20;
    private const int DrainSeconds = 20;
    private const int RetryMilliseconds = 3000;
    private const int SpreadMilliseconds = 5000;

    private readonly ITestOutputHelper _output;

    public ShutdownSpec(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Every_one_of_1000_subscribers_gets_shutdown_and_the_host_stops_within_the_drain_time()
    {
        var node = await OpsNode.StartAsync(
        [
            $"--Fanout:Shutdown:DrainSeconds={DrainSeconds}",
            $"--Fanout:Shutdown:ReconnectSpreadMilliseconds={SpreadMilliseconds}",
            $"--Fanout:Subscriber:RetryMilliseconds={RetryMilliseconds}",
            "--Fanout:Subscriber:HeartbeatSeconds=0",
        ]);
        var streams = new SseStream[Subscribers];
        try
        {
            var prefix = "shutdown-" + Guid.NewGuid().ToString("N");
            var opened = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(50))
            {
                await Task.WhenAll(Enumerable.Range(0, Subscribers).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        streams[i] = await SseStream.OpenAsync(node.Http, $"/topics/{prefix}-{i % Topics}/events");
                        Assert.Equal("fanout.connected", (await streams[i].NextAsync(TimeSpan.FromSeconds(60))).EventType);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            _output.WriteLine($"{Subscribers} subscribers connected in {opened.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(Subscribers, (await node.Hub.GetLocalSubscribersAsync()).Subscribers);

            var stopwatch = Stopwatch.StartNew();
            var stopping = node.StopAsync();
            var endings = await Task.WhenAll(streams.Select(async stream =>
            {
                var (shutdown, before) = await stream.NextOfTypeAsync("fanout.shutdown", TimeSpan.FromSeconds(DrainSeconds));
                Assert.Empty(before);
                return (Shutdown: shutdown, Ended: await stream.EndsAsync(TimeSpan.FromSeconds(DrainSeconds)));
            }));
            var allTold = stopwatch.Elapsed;
            await stopping;
            var stopped = stopwatch.Elapsed;
            _output.WriteLine($"all told after {allTold.TotalSeconds:0.0} s, host stopped after {stopped.TotalSeconds:0.0} s (drain time {DrainSeconds} s)");

            Assert.All(endings, e => Assert.True(e.Ended, "the server closed the stream after fanout.shutdown"));
            var retries = endings.Select(e => e.Shutdown.ReconnectionInterval).ToList();
            Assert.All(retries, r => Assert.InRange(r!.Value, TimeSpan.FromMilliseconds(RetryMilliseconds), TimeSpan.FromMilliseconds(RetryMilliseconds + SpreadMilliseconds)));
            Assert.True(retries.Distinct().Count() > 10, "reconnects are spread by a jittered retry:");
            Assert.True(stopped < TimeSpan.FromSeconds(DrainSeconds), $"host stopped after {stopped.TotalSeconds:0.0} s, drain time is {DrainSeconds} s");
        }
        finally
        {
            foreach (var stream in streams.Where(s => s is not null))
            {
                await stream.DisposeAsync();
            }

            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task On_SIGTERM_the_process_tells_its_subscribers_and_exits_within_the_drain_time()
    {
        const int count = 200;
        await using var server = await NodeProcess.StartAsync($"--Fanout:Shutdown:DrainSeconds={DrainSeconds}", "--Fanout:Subscriber:HeartbeatSeconds=0");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096 }) { BaseAddress = server.Url };
        await Eventually.HoldsAsync(
            async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "the process is ready");

        var topic = "sigterm-" + Guid.NewGuid().ToString("N");
        var streams = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var stream = await SseStream.OpenAsync(http, $"/topics/{topic}/events");
            Assert.Equal("fanout.connected", (await stream.NextAsync(TimeSpan.FromSeconds(60))).EventType);
            return stream;
        }));
        await http.PublishAsync(topic, 1);
        foreach (var stream in streams)
        {
            Assert.Equal(1, SseStream.DataNumber(await stream.NextAsync()));
        }

        var stopwatch = Stopwatch.StartNew();
        server.Terminate();
        var endings = await Task.WhenAll(streams.Select(async stream =>
        {
            var (shutdown, before) = await stream.NextOfTypeAsync("fanout.shutdown", TimeSpan.FromSeconds(DrainSeconds));
            Assert.Empty(before);
            return (Shutdown: shutdown, Ended: await stream.EndsAsync(TimeSpan.FromSeconds(DrainSeconds)));
        }));
        Assert.True(await server.ExitsWithinAsync(TimeSpan.FromSeconds(DrainSeconds)), $"the process exits within {DrainSeconds} s of SIGTERM");
        _output.WriteLine($"{count} subscribers told, process exited {stopwatch.Elapsed.TotalSeconds:0.0} s after SIGTERM with code {server.ExitCode}");

        // Each one was told to come back later (a retry: within the default spread) and then let go.
        Assert.All(endings, e => Assert.True(e.Ended, "the server closed the stream after fanout.shutdown"));
        Assert.All(endings, e => Assert.InRange(
            e.Shutdown.ReconnectionInterval ?? TimeSpan.Zero,
            TimeSpan.FromMilliseconds(RetryMilliseconds),
            TimeSpan.FromMilliseconds(RetryMilliseconds + SpreadMilliseconds)));
        Assert.Equal(0, server.ExitCode);

        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stalled_subscriber_with_a_full_mailbox_is_told_shutdown_without_a_hole_before_it()
    {
        var sink = new LogSink();
        await using var node = await OpsNode.StartAsync(
            [.. SlowClientScenario.NodeSettings, $"--Fanout:Shutdown:DrainSeconds={DrainSeconds}", "--Logging:LogLevel:Fanout.AspNetCore.Lifecycle=Information"],
            builder => builder.Logging.AddProvider(sink));
        await using var scenario = await SlowClientScenario.StartAsync(node, "stalled-shutdown");
        await scenario.PublishUntilTheStalledClientDropsAsync();
        var stalled = await scenario.SubscriberAsync(SlowClientScenario.StalledAgent);
        Assert.True(stalled.MailboxDepth > 0, "the stalled client's mailbox holds events when the node starts leaving");

        // The node starts leaving while the client is still stalled: fanout.shutdown has to get
        // past a full mailbox and a full socket.
        var stopwatch = Stopwatch.StartNew();
        var stopping = node.StopAsync();
        await LogPipelineSpec.AwaitEntryAsync(sink, e => e.Message.StartsWith("Draining: sent fanout.shutdown to 2 subscribers", StringComparison.Ordinal));

        // The client reads on: what comes before the shutdown runs from seq 1 without a hole
        // (events, or lagged runs for what the mailbox dropped); the control message may pass
        // events still queued, which the client resumes from its last id. Then the stream ends.
        var (reading, shutdown) = await scenario.ReadStalledUntilAsync("fanout.shutdown");
        Assert.True(shutdown is not null, $"fanout.shutdown reached the stalled client after {reading}");
        Assert.NotNull(shutdown.Value.ReconnectionInterval);
        Assert.True(await scenario.Stalled.EndsAsync(TimeSpan.FromSeconds(DrainSeconds)), "the server closed the stalled stream after fanout.shutdown");
        await stopping;
        _output.WriteLine($"stalled client: {reading} of {scenario.Published} published, then shutdown; host stopped after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(reading.Messages > 0, "the stalled client had events in its socket when it read on");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(DrainSeconds), $"host stopped after {stopwatch.Elapsed.TotalSeconds:0.0} s, drain time is {DrainSeconds} s");
    }
}
