using Fanout.Protocol;
using Fanout.Testing;

namespace Fanout.Client.Tests;

public sealed class ResumeTests
{
    [Fact]
    public async Task A_dropped_connection_resumes_with_no_duplicate_and_no_hole()
    {
        await using var node = await ClientNode.StartAsync();
        await using var proxy = LoopbackProxy.Start(node.Url);
        using var client = new FanoutClient(proxy.Url);
        const string topic = "resume/drop";
        var seqs = new List<long>();
        var first = await node.PublishRawAsync(topic, 0);

        await using var reading = new Reading(client, topic, first.Id);
        reading.Open();
        await node.AwaitSubscribersAsync(topic, 1);
        for (var i = 1; i <= 3; i++)
        {
            await node.PublishRawAsync(topic, i);
        }

        for (var i = 1; i <= 3; i++)
        {
            seqs.Add((await reading.NextAsync()).Data.GetInt64());
        }

        // The network fails: every connection is reset, and new ones wait while events go on.
        proxy.CutAndHold();
        await node.AwaitSubscribersAsync(topic, 0);
        for (var i = 4; i <= 10; i++)
        {
            await node.PublishRawAsync(topic, i);
        }

        proxy.Restore();
        for (var i = 4; i <= 10; i++)
        {
            var item = await reading.NextAsync();
            Assert.Equal(FanoutEventKind.Event, item.Kind);
            seqs.Add(item.Data.GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs);

        // Live again after the replay.
        var live = await node.PublishRawAsync(topic, 11);
        Assert.Equal(live.Id, (await reading.NextAsync()).Id);
    }

    [Fact]
    public async Task A_node_restart_on_a_durable_store_resumes_with_no_loss_and_no_reset()
    {
        var folder = Directory.CreateTempSubdirectory("fanout-client-restart-");
        try
        {
            string[] settings = [
                "--urls", $"http://127.0.0.1:{LoopbackPorts.Take(1)[0]}", "--Fanout:Store:Kind=sqlite",
                $"--Fanout:Store:ConnectionString=Data Source={Path.Combine(folder.FullName, "fanout.db")}",
            ];
            var node = await ClientNode.StartAsync(settings);
            using var client = new FanoutClient(node.Url);
            const string topic = "restart/durable";
            var start = await client.PublishAsync(topic, 0);
            await using var reading = new Reading(client, topic, start.Id);
            try
            {
                await client.PublishAsync(topic, 1);
                Assert.Equal(1, (await reading.NextAsync()).Data.GetInt64());

                // Stopped (its subscribers told fanout.shutdown) and started again on the same
                // address and file: what was published before and after is all there.
                await client.PublishAsync(topic, 2);
                await node.DisposeAsync();
                node = await ClientNode.StartAsync(settings);
                await client.PublishAsync(topic, 3);

                for (var i = 2; i <= 3; i++)
                {
                    var item = await reading.NextAsync();
                    Assert.True(item.Kind == FanoutEventKind.Event, $"Expected event {i}, got {item.Kind} ({item.Reset?.Reason})");
                    Assert.Equal(i, item.Data.GetInt64());
                }
            }
            finally
            {
                await node.DisposeAsync();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_cluster_nodes_SIGTERM_resumes_on_another_node_with_no_loss_and_no_reset()
    {
        // Two members; the memory store hands a leaving node's topics to the other one.
        await using var first = await ClientNode.StartAsync("--Fanout:Shutdown:DrainSeconds=10");
        await using var second = await ClientNode.StartAsync("--Fanout:Shutdown:DrainSeconds=10", $"--Fanout:Cluster:SeedNodes:0={first.Address}");
        await using var proxy = LoopbackProxy.Start(first.Url);
        using var client = new FanoutClient(proxy.Url);
        using var publisher = new FanoutClient(second.Url);
        const string topic = "cluster/sigterm";
        var start = await publisher.PublishAsync(topic, 0, key: "k0");

        await using var reading = new Reading(client, topic, start.Id);
        reading.Open();
        await first.AwaitSubscribersAsync(topic, 1);
        var seqs = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            await publisher.PublishAsync(topic, i, key: $"k{i}");
            seqs.Add((await reading.NextAsync()).Data.GetInt64());
        }

        // The first node gets SIGTERM (a host stop: it drains its subscribers with
        // fanout.shutdown and leaves); the client's reconnect is sent to the second node, and
        // events go on being published meanwhile. A key makes each publish safe to retry
        // while the topic moves.
        proxy.Retarget(second.Url);
        var stopping = first.StopAsync();
        for (var i = 4; i <= 10; i++)
        {
            await publisher.PublishAsync(topic, i, key: $"k{i}");
        }

        await stopping;
        for (var i = 4; i <= 10; i++)
        {
            var item = await reading.NextAsync();
            Assert.True(item.Kind == FanoutEventKind.Event, $"Expected event {i}, got {item.Kind} ({item.Reset?.Reason})");
            seqs.Add(item.Data.GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs);
        await second.AwaitSubscribersAsync(topic, 1);
        var live = await publisher.PublishAsync(topic, 11, key: "k11");
        Assert.Equal(live.Id, (await reading.NextAsync()).Id);
    }

    [Fact]
    public async Task An_invalid_cursor_is_a_reset_item_and_the_stream_goes_on_live()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        const string topic = "reset/invalid";
        await client.PublishAsync(topic, 1);

        await using var reading = new Reading(client, topic, "not-a-cursor");
        var reset = await reading.NextAsync();
        Assert.Equal(FanoutEventKind.Reset, reset.Kind);
        Assert.Equal(EventNames.Reset, reset.Type);
        Assert.Equal(topic, reset.Topic);
        Assert.Equal(new ResetPayload(topic, ResetReasons.CursorInvalid), reset.Reset);
        Assert.NotNull(reset.Id);

        var next = await client.PublishAsync(topic, 2);
        var item = await reading.NextAsync();
        Assert.Equal(next.Id, item.Id);
    }

    [Fact]
    public async Task A_cursor_from_another_epoch_is_an_epoch_changed_reset()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        const string topic = "reset/epoch";
        var first = await client.PublishAsync(topic, 1);
        var otherEpoch = (first.Id[0] == '1' ? "2" : "1") + first.Id[1..];

        await using var single = new Reading(client, topic, otherEpoch);
        var reset = await single.NextAsync();
        Assert.Equal(FanoutEventKind.Reset, reset.Kind);
        Assert.Equal(new ResetPayload(topic, ResetReasons.EpochChanged), reset.Reset);
    }

    [Fact]
    public async Task A_stalled_reader_gets_lagged_items_that_account_for_every_missing_seq()
    {
        await using var node = await ClientNode.StartAsync("--Fanout:Subscriber:MaxEvents=4", "--Fanout:Subscriber:StreamBufferFrames=1");
        await using var proxy = LoopbackProxy.Start(node.Url);
        using var client = new FanoutClient(proxy.Url);
        const string topic = "lagged/topic";
        var first = await node.PublishRawAsync(topic, new { n = 1 });
        await using var reading = new Reading(client, topic, first.Id);
        reading.Open();
        await node.AwaitSubscribersAsync(topic, 1);

        proxy.StallDownstream();
        var padding = new string('x', 60_000);
        long last = 0;
        for (var i = 0; i < 1000 && await node.DroppedAsync() == 0; i++)
        {
            last = (await node.PublishRawAsync(topic, new { n = i + 2, pad = padding })).Seq;
        }

        Assert.True(await node.DroppedAsync() > 0, "The stalled subscriber's mailbox dropped nothing after 1,000 events of 60 KB.");
        proxy.ResumeDownstream();
        var end = await node.PublishRawAsync(topic, new { n = 0 });

        var items = await reading.UntilAsync(e => e.Id == end.Id);
        var lagged = items.Where(e => e.Kind == FanoutEventKind.Lagged).ToList();
        Assert.NotEmpty(lagged);
        Assert.All(lagged, l => Assert.Equal(topic, l.Topic));
        Assert.All(lagged, l => Assert.Null(l.Id));

        // Every seq after the cursor is an event or inside a lagged range, once, in order.
        var expected = 2L;
        foreach (var item in items)
        {
            if (item.Lagged is { } gap)
            {
                Assert.Equal(expected, gap.FromSeq);
                Assert.Equal(gap.ToSeq - gap.FromSeq + 1, gap.Dropped);
                expected = gap.ToSeq + 1;
            }
            else
            {
                Assert.Equal(expected, SeqOf(item));
                expected++;
            }
        }

        Assert.Equal(end.Seq + 1, expected);
        Assert.True(last > 0);
    }

    // In a one-topic stream the cursor is <epoch>-<seq> (docs/protocol.md); the test may read it.
    private static long SeqOf(FanoutEvent item) => long.Parse(item.Id![(item.Id!.LastIndexOf('-') + 1)..]);
}
