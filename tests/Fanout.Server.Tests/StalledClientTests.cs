using Fanout.Server.Tests.Infrastructure;
using Fanout.Testing;
using Xunit.Abstractions;

namespace Fanout.Server.Tests;

/// <summary>Settings of the stalled-client test; see the test for why each is set.</summary>
public sealed class StalledClientNode : NodeFixture
{
    public const long MailboxBytes = 2 * 1024 * 1024;
    public const long HistoryBytes = 1024 * 1024;

    protected override string[] Settings =>
    [
        $"Fanout:Subscriber:MaxBytes={MailboxBytes}",
        "Fanout:Subscriber:MaxEvents=1024",
        $"Fanout:Topic:HistoryBytes={HistoryBytes}",
        "Fanout:Subscriber:WriteTimeoutSeconds=600",
    ];
}

/// <summary>
/// Issue 2's stalled-client test: one client stops reading while 20,000 events of 2 KB are
/// published. A client that keeps up beside it gets every event in order, the node's heap
/// stays within the design's bound, and the stalled client, once it reads again, is told
/// of every seq it missed.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class StalledClientTests(StalledClientNode fixture, ITestOutputHelper output) : IClassFixture<StalledClientNode>
{
    private const int Events = 20_000;
    private const int PayloadChars = 2000;

    /// <summary>
    /// 25 events of 2 KB make a ~52 KB request: every buffer of the publish path stays below
    /// the large-object threshold (85 KB), so large arrays pooled by the runtime do not blur
    /// the heap figures by megabytes.
    /// </summary>
    private const int BatchEvents = 25;

    /// <summary>
    /// The publisher stays at most this far ahead of the fast client, well inside its mailbox
    /// (1,024 events, 2 MiB ≈ 1,000 frames of this size): "keeps up" made concrete.
    /// </summary>
    private const int FastClientWindow = 400;

    /// <summary>
    /// What the design's bound leaves out: each subscriber's stream buffers (16 frames in its
    /// channel and the one batch of up to 64 KiB being written) and Kestrel response pipe (64 KiB), pooled
    /// blocks, the HTTP clients' buffers, the in-flight publish request and the actor
    /// system's own allocations; measured noise between runs is about ±1.5 MiB. An unbounded
    /// subscriber queue would hold all 20,000 frames, about 41 MiB, which this cannot hide.
    /// </summary>
    private const long Slack = 4 * ManagedHeap.MiB;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task A_stalled_client_costs_bounded_memory_and_is_told_every_seq_it_missed()
    {
        await WarmUpAsync();
        var topic = TopicNames.Fresh("stalled");
        var path = $"/topics/{topic}/events";
        await using var stalled = await EventStream.OpenAsync(_node.Http, path);
        await using var fast = await EventStream.OpenAsync(_node.Http, path);
        await stalled.NextAsync("fanout.connected");
        await fast.NextAsync("fanout.connected");
        await Eventually.AssertAsync(async () => Assert.Equal(2, await _node.LocalSubscribersAsync()), TimeSpan.FromSeconds(10));

        var baseline = ManagedHeap.Measure();
        var bound = 2 * StalledClientNode.MailboxBytes + StalledClientNode.HistoryBytes + Slack;

        var progress = new SeqProgress();
        var fastReader = Task.Run(() => ReadInOrderAsync(fast, progress));
        var samples = new List<HeapSize>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var first = 1; first <= Events; first += BatchEvents)
        {
            await progress.WhenReachedAsync(first - 1 - FastClientWindow + BatchEvents, Deadline);
            var published = await _node.PublishBatchAsync(topic, Enumerable.Range(first, BatchEvents).Select(Payload));
            Assert.Equal(first, published[0].Seq);

            if ((first - 1 + BatchEvents) % 2000 == 0)
            {
                samples.Add(ManagedHeap.Measure() - baseline);
            }
        }

        await fastReader.WaitAsync(Deadline);
        var publishTime = clock.Elapsed;
        samples.Add(ManagedHeap.Measure() - baseline);
        var peak = samples.Max(s => s.Live);
        output.WriteLine($"published {Events} x {PayloadChars} B in {publishTime.TotalSeconds:0.0} s; heap baseline {baseline}; bound {ManagedHeap.Format(bound)}");
        output.WriteLine($"growth every 2,000 events: {string.Join("; ", samples)}");
        Assert.True(peak <= bound, $"Heap grew {ManagedHeap.Format(peak)} while a client stalled; the bound is {ManagedHeap.Format(bound)}.");

        var (received, lagged, dropped) = await ReadAfterStallAsync(stalled);
        output.WriteLine($"stalled client then read {received} events and {lagged} fanout.lagged covering {dropped} seqs");
        Assert.True(dropped > 0, "The stalled client lost nothing, so it never stalled: the test proves nothing.");
        Assert.Equal(Events, received + dropped);
    }

    /// <summary>
    /// Runs the same publish and stream paths once before the baseline, so first-use costs
    /// (JIT, serializer caches, Kestrel's and the HTTP client's pooled buffers) are not
    /// counted as growth.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var topic = TopicNames.Fresh("warm-up");
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        await stream.NextAsync("fanout.connected");
        var progress = new SeqProgress();
        var reader = Task.Run(() => ReadInOrderAsync(stream, progress, 2000));
        for (var first = 1; first <= 2000; first += BatchEvents)
        {
            await progress.WhenReachedAsync(first - 1 - FastClientWindow + BatchEvents, Deadline);
            await _node.PublishBatchAsync(topic, Enumerable.Range(first, BatchEvents).Select(Payload));
        }

        await reader.WaitAsync(Deadline);
        await stream.DisposeAsync();
        await Eventually.AssertAsync(async () => Assert.Equal(0, await _node.LocalSubscribersAsync()), TimeSpan.FromSeconds(10));
    }

    private static object Payload(int n) => new { n, pad = new string((char)('a' + (n % 26)), PayloadChars) };

    /// <summary>The fast client: every seq 1..Events, in order, as ordinary events.</summary>
    private static async Task ReadInOrderAsync(EventStream stream, SeqProgress progress, int events = Events)
    {
        for (long expected = 1; expected <= events; expected++)
        {
            var received = await stream.NextAsync(TimeSpan.FromSeconds(60));
            Assert.True(received.Type == "message", $"Fast client got '{received.Type}' at seq {expected}: {received.Data}");
            Assert.Equal(expected, received.Seq);
            progress.Advance(expected);
        }
    }

    /// <summary>
    /// Reads the stalled stream to the end: each event must be the next seq, each
    /// <c>fanout.lagged</c> must start at the next seq and account for its run exactly.
    /// </summary>
    private static async Task<(int Received, int Lagged, long Dropped)> ReadAfterStallAsync(EventStream stream)
    {
        long next = 1;
        var (received, lagged, dropped) = (0, 0, 0L);
        for (var guard = 0; next <= Events && guard < 2 * Events; guard++)
        {
            var item = await stream.NextAsync(TimeSpan.FromSeconds(60));
            if (item.Type == "fanout.lagged")
            {
                var json = item.Json;
                var (from, to) = (json.GetProperty("fromSeq").GetInt64(), json.GetProperty("toSeq").GetInt64());
                Assert.Equal(next, from);
                Assert.True(to >= from, item.Data);
                Assert.Equal(to - from + 1, json.GetProperty("dropped").GetInt64());
                (next, lagged, dropped) = (to + 1, lagged + 1, dropped + (to - from + 1));
                continue;
            }

            Assert.True(item.Type == "message", $"Unexpected '{item.Type}' at seq {next}: {item.Data}");
            Assert.Equal(next, item.Seq);
            (next, received) = (next + 1, received + 1);
        }

        Assert.Equal(Events + 1, next);
        return (received, lagged, dropped);
    }
}
