using System.Net;
using System.Text.Json;
using Fanout.Testing;

namespace Fanout.Mercure.Tests;

/// <summary>
/// With <c>Fanout:Mercure:Subscriptions</c> on: the subscriptions API lists every node's
/// subscribers as JSON-LD, and subscription events announce subscribers as they come and go.
/// </summary>
public sealed class SubscriptionsSpec
{
    private const string SubscriptionsSelector = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
    private const string Subscriptions = "--Fanout:Mercure:Subscriptions=true";

    [Fact]
    public async Task The_api_lists_the_subscriptions_of_every_node_by_topic_and_one_by_one()
    {
        await using var a = await MercureNode.StartAsync(null, Subscriptions);
        await using var b = await MercureNode.StartAsync(a, Subscriptions);
        var t1 = NodeFixture.Topic("one");
        var t2 = NodeFixture.Topic("two") + "/{id}";
        using var alice = a.Client(Jwt.Mint(MercureNode.SubscriberKey, subscribe: [], payload: new Dictionary<string, object> { ["user"] = "alice" }));
        using var bob = b.Client(Jwt.Subscriber());
        using var reader = b.Client(Jwt.Subscriber(SubscriptionsSelector));
        await using var first = await Mercure.SubscribeAsync(alice, [t1, t2]);
        await using var second = await Mercure.SubscribeAsync(bob, [t1]);

        var all = await GetJsonAsync(reader, "/.well-known/mercure/subscriptions");
        Assert.Equal(("https://mercure.rocks/", "Subscriptions", "/.well-known/mercure/subscriptions"), (Text(all, "@context"), Text(all, "type"), Text(all, "id")));
        var listed = Items(all).Where(s => Text(s, "topic") == t1 || Text(s, "topic") == t2).ToList();
        Assert.Equal(3, listed.Count);
        var aliceOnT2 = Assert.Single(listed, s => Text(s, "topic") == t2);
        Assert.Equal("alice", aliceOnT2.GetProperty("payload").GetProperty("user").GetString());
        Assert.True(aliceOnT2.GetProperty("active").GetBoolean());
        Assert.Equal("Subscription", Text(aliceOnT2, "type"));

        var byTopic = Items(await GetJsonAsync(reader, "/.well-known/mercure/subscriptions/" + Escape(t1)));
        Assert.Equal(2, byTopic.Count);
        Assert.All(byTopic, s => Assert.Equal(t1, Text(s, "topic")));

        var id = Text(aliceOnT2, "id");
        Assert.Equal("/.well-known/mercure/subscriptions/" + Escape(t2) + "/" + Escape(Text(aliceOnT2, "subscriber")), id);
        var one = await GetJsonAsync(reader, id);
        Assert.Equal((id, "https://mercure.rocks/", t2), (Text(one, "id"), Text(one, "@context"), Text(one, "topic")));
        Assert.False(string.IsNullOrEmpty(Text(one, "lastEventID")));

        using var missing = await reader.GetAsync("/.well-known/mercure/subscriptions/" + Escape(t2) + "/" + Escape("urn:uuid:" + Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var stranger = b.Client(Jwt.Subscriber(t1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/.well-known/mercure/subscriptions")).StatusCode);

        // Gone subscribers leave the list.
        await first.DisposeAsync();
        await Eventually.HoldsAsync(
            async () => Items(await GetJsonAsync(reader, "/.well-known/mercure/subscriptions")).All(s => Text(s, "topic") != t2),
            TimeSpan.FromSeconds(15),
            "alice's subscriptions left the list");
    }

    [Fact]
    public async Task Subscribers_coming_and_going_are_announced_as_private_subscription_updates()
    {
        await using var node = await MercureNode.StartAsync(null, Subscriptions);
        var topic = NodeFixture.Topic("watched");
        using var watcher = node.Client(Jwt.Subscriber(SubscriptionsSelector));
        using var blind = node.Client(Jwt.Subscriber());
        await using var events = await Mercure.SubscribeAsync(watcher, [SubscriptionsSelector]);
        var marker = NodeFixture.Topic("marker");
        await using var noEvents = await Mercure.SubscribeAsync(blind, [SubscriptionsSelector, marker]);

        using var other = node.Client(Jwt.Subscriber());
        var arriving = await Mercure.SubscribeAsync(other, [topic]);
        var connected = await NextAboutAsync(events, topic);
        Assert.True(connected.GetProperty("active").GetBoolean());
        Assert.Equal("Subscription", Text(connected, "type"));
        Assert.Matches("^urn:uuid:", Text(connected, "subscriber"));

        await arriving.DisposeAsync();
        var gone = await NextAboutAsync(events, topic);
        Assert.False(gone.GetProperty("active").GetBoolean());
        Assert.Equal(Text(connected, "subscriber"), Text(gone, "subscriber"));

        // Without the claim the private announcements do not arrive: the first update it sees is the public marker.
        using var publisher = node.Client(Jwt.Publisher("*"));
        var markerId = await Mercure.PublishAsync(publisher, ("topic", marker), ("data", "marker"));
        Assert.Equal(markerId, (await noEvents.NextAsync()).EventId);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_subscriptions_api()
    {
        await using var node = await MercureNode.StartAsync();
        using var reader = node.Client(Jwt.Subscriber("*"));

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/.well-known/mercure/subscriptions")).StatusCode);
    }

    private static async Task<JsonElement> NextAboutAsync(SseStream stream, string topic)
    {
        for (var i = 0; i < 100; i++)
        {
            var data = JsonDocument.Parse((await stream.NextAsync()).Data).RootElement;
            if (Text(data, "topic") == topic)
            {
                return data;
            }
        }

        throw new InvalidOperationException($"No subscription update about {topic} within 100 updates.");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<JsonElement> Items(JsonElement collection) => collection.GetProperty("subscriptions").EnumerateArray().ToList();

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    private static string Escape(string text) => Fanout.AspNetCore.Mercure.MercureSubscription.Escape(text);
}
