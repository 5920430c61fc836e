namespace Fanout.Mercure.Tests;

/// <summary>Three nodes of one cluster: publish on one, subscribe on another, reconnect to the third with the last id or earliest.</summary>
public sealed class ClusterResumeSpec
{
    [Fact]
    public async Task A_subscriber_that_reconnects_to_another_node_with_its_last_id_misses_nothing()
    {
        await using var a = await MercureNode.StartAsync();
        await using var b = await MercureNode.StartAsync(a);
        await using var c = await MercureNode.StartAsync(a);
        using var publisher = a.Client(Jwt.Publisher("*"));
        var topic = NodeFixture.Topic("cluster");
        using var onA = a.Client(Jwt.Subscriber());
        using var onB = b.Client(Jwt.Subscriber());
        using var onC = c.Client(Jwt.Subscriber());

        string lastSeen;
        await using (var first = await Mercure.SubscribeAsync(onB, [topic]))
        {
            var one = await Mercure.PublishAsync(publisher, ("topic", topic), ("data", "1"));
            lastSeen = (await first.NextAsync()).EventId!;
            Assert.Equal(one, lastSeen);
        }

        // While nobody listens, more updates arrive; the client comes back on the other node.
        var missed = new List<string>();
        for (var i = 2; i <= 4; i++)
        {
            missed.Add(await Mercure.PublishAsync(publisher, ("topic", topic), ("data", $"{i}")));
        }

        await using var again = await Mercure.SubscribeAsync(onC, [topic], lastEventId: lastSeen);
        Assert.Equal(lastSeen, again.Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal(missed, (await Mercure.NextAsync(again, 3)).Select(i => i.EventId));

        // And live updates published on any node follow.
        using var publisherOnC = c.Client(Jwt.Publisher("*"));
        var live = await Mercure.PublishAsync(publisherOnC, ("topic", topic), ("data", "5"));
        Assert.Equal(live, (await again.NextAsync()).EventId);

        await using var earliest = await Mercure.SubscribeAsync(onA, [topic], lastEventId: "earliest");
        Assert.Equal([lastSeen, .. missed, live], (await Mercure.NextAsync(earliest, 5)).Select(i => i.EventId));
    }
}
