using System.Net;
using Fanout.Testing;

namespace Fanout.Mercure.Tests;

/// <summary>Reconnection: Last-Event-ID header or lastEventID query (header wins), earliest, the response header, unknown ids.</summary>
public sealed class ResumeSpec(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private MercureNode Node => fixture.Node;

    private HttpClient Publisher { get; } = fixture.Node.Client(Jwt.Publisher("*"));

    [Fact]
    public async Task A_last_event_id_header_resumes_right_after_that_update_and_is_answered_in_the_response()
    {
        var topic = NodeFixture.Topic("r");
        var ids = await PublishAsync(topic, 4);
        using var http = Node.Client(Jwt.Subscriber());

        await using var stream = await Mercure.SubscribeAsync(http, [topic], lastEventId: ids[1]);

        Assert.Equal(ids[1], stream.Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal(ids[2..], (await Mercure.NextAsync(stream, 2)).Select(i => i.EventId));
        var live = await PublishAsync(topic, 1);
        Assert.Equal(live[0], (await stream.NextAsync()).EventId);
    }

    [Fact]
    public async Task The_lastEventID_query_resumes_too_and_the_header_wins_over_it()
    {
        var topic = NodeFixture.Topic("q");
        var ids = await PublishAsync(topic, 4);
        using var http = Node.Client(Jwt.Subscriber());

        await using var byQuery = await Mercure.SubscribeAsync(http, [topic], extraQuery: "&lastEventID=" + Uri.EscapeDataString(ids[2]));
        await using var both = await Mercure.SubscribeAsync(http, [topic], lastEventId: ids[0], extraQuery: "&lastEventID=" + Uri.EscapeDataString(ids[2]));

        Assert.Equal(ids[3], (await byQuery.NextAsync()).EventId);
        Assert.Equal(ids[1..], (await Mercure.NextAsync(both, 3)).Select(i => i.EventId));
        Assert.Equal(ids[0], both.Headers.GetValues("Last-Event-ID").Single());
    }

    [Fact]
    public async Task Earliest_replays_all_retained_history_of_the_subscribed_topics()
    {
        var topic = NodeFixture.Topic("e");
        var ids = await PublishAsync(topic, 3);
        await PublishAsync(NodeFixture.Topic("elsewhere"), 2);
        using var http = Node.Client(Jwt.Subscriber());

        await using var stream = await Mercure.SubscribeAsync(http, [topic], lastEventId: "earliest");

        Assert.Equal("earliest", stream.Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal(ids, (await Mercure.NextAsync(stream, 3)).Select(i => i.EventId));
    }

    [Fact]
    public async Task An_unknown_id_starts_live_and_the_response_says_earliest()
    {
        var topic = NodeFixture.Topic("u");
        await PublishAsync(topic, 2);
        using var http = Node.Client(Jwt.Subscriber());

        await using var stream = await Mercure.SubscribeAsync(http, [topic], lastEventId: "urn:uuid:" + Guid.NewGuid());
        var live = await PublishAsync(topic, 1);

        Assert.Equal("earliest", stream.Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal(live[0], (await stream.NextAsync()).EventId);
    }

    [Fact]
    public async Task Private_history_is_replayed_only_to_subscribers_allowed_to_see_it()
    {
        var topic = NodeFixture.Topic("p");
        var first = await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "start"));
        await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "secret"), ("private", "on"));
        await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "public"));
        using var stranger = Node.Client(Jwt.Subscriber());
        using var insider = Node.Client(Jwt.Subscriber(topic));

        await using var a = await Mercure.SubscribeAsync(stranger, [topic], lastEventId: first);
        await using var b = await Mercure.SubscribeAsync(insider, [topic], lastEventId: first);

        Assert.Equal("public", (await a.NextAsync()).Data);
        Assert.Equal(["secret", "public"], (await Mercure.NextAsync(b, 2)).Select(i => i.Data));
    }

    [Fact]
    public async Task With_anonymous_access_on_a_subscriber_without_token_gets_public_updates_only()
    {
        await using var node = await MercureNode.StartAsync(null, "--Fanout:Mercure:Anonymous=true");
        using var publisher = node.Client(Jwt.Publisher("*"));
        using var anonymous = node.Client();
        var topic = NodeFixture.Topic("anon");
        await using var stream = await Mercure.SubscribeAsync(anonymous, [topic]);

        await Mercure.PublishAsync(publisher, ("topic", topic), ("data", "secret"), ("private", "on"));
        await Mercure.PublishAsync(publisher, ("topic", topic), ("data", "public"));

        Assert.Equal("public", (await stream.NextAsync()).Data);
        using var invalid = node.Client("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await invalid.GetAsync(Mercure.Query(topic), HttpCompletionOption.ResponseHeadersRead)).StatusCode);
    }

    private async Task<string[]> PublishAsync(string topic, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", $"u{i}"));
        }

        return ids;
    }
}
