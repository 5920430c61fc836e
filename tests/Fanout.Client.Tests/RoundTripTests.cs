using System.Text.Json;
using Fanout.Testing;

namespace Fanout.Client.Tests;

public sealed class RoundTripTests
{
    private sealed record Order(int Id, string Name);

    [Fact]
    public async Task Published_events_arrive_in_order_with_their_type_id_topic_and_data()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        const string topic = "orders/1";
        var first = await client.PublishAsync(topic, new Order(0, "before"), "order.created");
        Assert.Equal(topic, first.Topic);
        Assert.Equal(1, first.Seq);

        await using var reading = new Reading(client, topic, first.Id);
        reading.Open();
        await node.AwaitSubscribersAsync(topic, 1);
        var published = new List<PublishResult>();
        for (var i = 1; i <= 5; i++)
        {
            published.Add(await client.PublishAsync(topic, new Order(i, "é" + i), i % 2 == 0 ? "order.paid" : null));
        }

        for (var i = 1; i <= 5; i++)
        {
            var item = await reading.NextAsync();
            Assert.Equal(FanoutEventKind.Event, item.Kind);
            Assert.Equal(topic, item.Topic);
            Assert.Equal(published[i - 1].Id, item.Id);
            Assert.Equal(i % 2 == 0 ? "order.paid" : "message", item.Type);
            Assert.Equal(new Order(i, "é" + i), item.Deserialize<Order>());
            Assert.Equal(i, item.Data.GetProperty("id").GetInt32());
        }
    }

    [Fact]
    public async Task A_batch_answers_in_order_and_a_repeated_key_is_a_duplicate()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        const string topic = "batch/topic";
        var batch = await client.PublishBatchAsync(topic, [new FanoutMessage(1, Key: "k1"), new FanoutMessage(null, "nothing"), new FanoutMessage("three")]);
        Assert.Equal([1L, 2L, 3L], batch.Select(r => r.Seq));
        Assert.All(batch, r => Assert.Equal(topic, r.Topic));
        Assert.All(batch, r => Assert.False(r.Duplicate));

        var again = await client.PublishAsync(topic, 1, key: "k1");
        Assert.True(again.Duplicate);
        Assert.Equal(batch[0].Seq, again.Seq);
        Assert.Equal(batch[0].Id, again.Id);
    }

    [Fact]
    public async Task A_multi_topic_stream_carries_every_topic_and_leaves_event_topics_unnamed()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        var a = await client.PublishAsync("multi/a", "a0");
        await using var reading = new Reading(client, ["multi/a", "multi/b"]);
        reading.Open();
        await node.AwaitSubscribersAsync("multi/a", 1);
        await client.PublishAsync("multi/a", "a1", "a.event");
        await client.PublishAsync("multi/b", "b1", "b.event");
        await client.PublishAsync("multi/a", "a2", "a.event");

        var items = new[] { await reading.NextAsync(), await reading.NextAsync(), await reading.NextAsync() };
        Assert.Equal(["a.event", "b.event", "a.event"], items.Select(i => i.Type));
        Assert.Equal(["a1", "b1", "a2"], items.Select(i => i.Data.GetString()));
        Assert.All(items, i => Assert.Null(i.Topic));
        Assert.Equal(3, items.Select(i => i.Id).Distinct().Count());
        Assert.NotNull(a.Id);
    }

    [Fact]
    public async Task A_JsonElement_is_published_as_is()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        using var doc = JsonDocument.Parse("""{"Keep":"Case","n":[1,2]}""");
        var first = await client.PublishAsync("json/raw", doc.RootElement);
        await using var reading = new Reading(client, "json/raw", "0-0");
        var item = await reading.NextAsync();
        Assert.Equal(first.Id, item.Id);
        Assert.Equal("""{"Keep":"Case","n":[1,2]}""", item.Data.GetRawText());
    }
}
