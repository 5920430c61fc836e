using System.Net.Sockets;
using Fanout.Server.Tests.Infrastructure;
using Fanout.Testing;
using Xunit.Abstractions;

namespace Fanout.Server.Tests;

/// <summary>A 2 s write timeout; heartbeats at the default 15 s, so they cannot be what notices an abort.</summary>
public sealed class DeadConnectionNode : NodeFixture
{
    public const int WriteTimeoutSeconds = 2;

    protected override string[] Settings =>
    [
        $"Fanout:Subscriber:WriteTimeoutSeconds={WriteTimeoutSeconds}",
        "Fanout:Subscriber:HeartbeatSeconds=15",
        "Fanout:Topic:HistoryBytes=1048576",
    ];
}

/// <summary>
/// A dead connection is noticed (client abort, write timeout) and its subscriber actor and
/// stream stopped; connect/disconnect cycles leave nothing behind.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class DeadConnectionTests(DeadConnectionNode fixture, ITestOutputHelper output) : IClassFixture<DeadConnectionNode>
{
    private const int Cycles = 1000;
    private const int Concurrency = 8;

    /// <summary>
    /// One connection's subscriber actor, stream and Kestrel state take about 15 KB (a heap
    /// dump held 1.5 MB for 100 of them), so 1,000 leaked cycles would be about 15 MB. After
    /// settling, the heap measured 0.4-0.7 MiB above the baseline (Kestrel's block pool and
    /// dictionaries grown to the peak number of connections); 2 MiB, about 2 KB a cycle,
    /// covers that but not a per-cycle leak.
    /// </summary>
    private const long HeapSlack = 2 * ManagedHeap.MiB;

    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task Connect_disconnect_cycles_leave_no_subscriber_and_no_heap_behind()
    {
        await AwaitNoSubscribersAsync();
        var topic = TopicNames.Fresh("cycles");
        await _node.PublishAsync(topic, new { n = 1 });
        // A short warm-up (JIT, pools). Akka's scheduler drops a cancelled timer only when
        // it falls due, so a stopped stream stays reachable from its heartbeat timer for up
        // to one heartbeat interval: a long warm-up would inflate the baseline.
        await CycleAsync(topic, 2 * Concurrency);
        await AwaitNoSubscribersAsync();
        var baseline = ManagedHeap.Measure();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await CycleAsync(topic, Cycles);
        var cycleTime = clock.Elapsed;
        await AwaitNoSubscribersAsync();
        var drained = clock.Elapsed;

        // Stopped streams stay reachable from their cancelled heartbeat timers for up to one
        // heartbeat interval (15 s here), hence a deadline beyond it, not one measurement.
        var growth = default(HeapSize);
        await Eventually.AssertAsync(
            () =>
            {
                growth = ManagedHeap.Measure() - baseline;
                Assert.True(growth.Live <= HeapSlack, $"Heap is {growth} above its baseline after {Cycles} cycles.");
            },
            StopDeadline);
        output.WriteLine($"{Cycles} cycles ({Concurrency} at a time) in {cycleTime.TotalSeconds:0.0} s, subscribers and streams back to 0 after " +
                         $"{drained.TotalSeconds:0.0} s, heap settled after {clock.Elapsed.TotalSeconds:0.0} s; baseline {baseline}, growth {growth}");
    }

    [Fact]
    public async Task A_client_abort_stops_its_subscriber()
    {
        await AwaitNoSubscribersAsync();
        var topic = TopicNames.Fresh("abort");
        var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        await stream.NextAsync("fanout.connected");
        await Eventually.AssertAsync(async () => Assert.Equal(1, await _node.LocalSubscribersAsync()), StopDeadline);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stream.DisposeAsync();

        // Well inside the 15 s heartbeat: only the abort itself can have ended it.
        await AwaitNoSubscribersAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"subscriber and stream stopped {clock.Elapsed.TotalSeconds:0.0} s after the client left");
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_by_the_write_timeout()
    {
        await AwaitNoSubscribersAsync();
        var topic = TopicNames.Fresh("timeout");
        using var client = _node.CreateClient(SmallReceiveBuffer());
        await using var stream = await EventStream.OpenAsync(client, $"/topics/{topic}/events");
        await stream.NextAsync("fanout.connected");
        await Eventually.AssertAsync(async () => Assert.Equal(1, await _node.LocalSubscribersAsync()), StopDeadline);

        // 16 MiB: far more than the socket buffers (a few MiB on loopback), Kestrel's pipe
        // and the stream's buffers hold, so a flush is left waiting on the client.
        var payload = new string('x', 2000);
        for (var first = 1; first <= 8000; first += 25)
        {
            await _node.PublishBatchAsync(topic, Enumerable.Range(first, 25).Select(n => (object)new { n, payload }));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AwaitNoSubscribersAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"subscriber stopped {clock.Elapsed.TotalSeconds:0.0} s after the last publish (write timeout {DeadConnectionNode.WriteTimeoutSeconds} s)");

        // The connection itself was closed too: reading on finds its end.
        Assert.True(await stream.EndsWithinAsync(TimeSpan.FromSeconds(30)), "The server kept the stalled connection open.");
    }

    [Fact]
    public async Task Clients_leaving_while_their_streams_are_written_stop_cleanly()
    {
        await AwaitNoSubscribersAsync();
        var topic = TopicNames.Fresh("leaving");
        using var publishing = new CancellationTokenSource();
        var payload = new string('x', 2000);
        var publisher = Task.Run(async () =>
        {
            for (var n = 1; n <= 1_000_000 && !publishing.IsCancellationRequested; n += 25)
            {
                await _node.PublishBatchAsync(topic, Enumerable.Range(n, 25).Select(i => (object)new { i, payload }));
            }
        });

        // Each client leaves right after its first event, mostly while the server is in the
        // middle of writing or flushing the next batch, or offering the next frame.
        for (var i = 0; i < 100; i++)
        {
            await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
            await stream.NextAsync("fanout.connected");
            await stream.NextAsync("message");
        }

        await publishing.CancelAsync();
        await publisher.WaitAsync(StopDeadline);
        await AwaitNoSubscribersAsync();
        Assert.Empty(_node.Log.Errors);
    }

    private async Task CycleAsync(string topic, int cycles)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= cycles)
            {
                await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
                await stream.NextAsync("fanout.connected");
            }
        })));
    }

    /// <summary>No subscriber actor is registered and no response stream runs.</summary>
    private async Task AwaitNoSubscribersAsync(TimeSpan? within = null) =>
        await Eventually.AssertAsync(
            async () =>
            {
                Assert.Equal(0, await _node.LocalSubscribersAsync());
                Assert.Equal(0, await _node.LiveStreamsAsync());
            },
            within ?? StopDeadline);

    /// <summary>A client whose sockets take little before the sender has to wait.</summary>
    private static SocketsHttpHandler SmallReceiveBuffer() => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
