using System.Net;
using System.Text.Json;

namespace Fanout.Security.Tests;

/// <summary>Who may read which topic: subscribe, multi-topic subscribe, resume, topic listings.</summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class SubscribeAuthorizationTests(SecuredNode fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly string OrdersReader = TestTokens.Grant(subscribe: ["orders/*"], subject: "orders-reader");

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_private_topic_cannot_be_read_without_a_token()
    {
        using var response = await Node.Http.GetAsync("/topics/orders/1/events");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_public_topic_can_be_read_without_a_token()
    {
        var topic = Topic("public");
        await using var stream = await SseClient.OpenAsync(Node.Http, Node.Request(HttpMethod.Get, $"/topics/{topic}/events"));
        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);

        using (var published = await Node.PublishAsync(topic, SecuredNode.Admin, """{"type":"news","data":"hello"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }

        var news = await stream.WaitForAsync(e => e.Event == "news", Patience);
        Assert.Equal("\"hello\"", news.Data);
    }

    [Fact]
    public async Task A_bad_token_is_refused_even_for_a_public_topic()
    {
        var expired = TestTokens.Grant(subscribe: ["*"], expiresIn: TimeSpan.FromHours(-1));

        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, $"/topics/{Topic("public")}/events", expired));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    [InlineData("cookie")]
    public async Task A_subscriber_token_is_read_from_header_query_or_cookie(string source)
    {
        var topic = Topic("orders");
        var request = source switch
        {
            "header" => Node.Request(HttpMethod.Get, $"/topics/{topic}/events", OrdersReader),
            "query" => Node.Request(HttpMethod.Get, $"/topics/{topic}/events?access_token={OrdersReader}"),
            _ => Node.Request(HttpMethod.Get, $"/topics/{topic}/events"),
        };
        if (source == "cookie")
        {
            request.Headers.Add("Cookie", $"access_token={OrdersReader}");
        }

        await using var stream = await SseClient.OpenAsync(Node.Http, request);

        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
    }

    [Fact]
    public async Task A_token_lacking_the_topic_is_403_for_subscribe()
    {
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/topics/users/1/events", OrdersReader));

        var title = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("users/1", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_topic_of_a_multi_topic_subscription_is_authorized()
    {
        using var mixed = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/events?topic=orders/1&topic=users/1", OrdersReader));
        var title = await ProblemAssert.IsProblemAsync(mixed, HttpStatusCode.Forbidden);
        Assert.Contains("users/1", title, StringComparison.Ordinal);

        using var anonymous = await Node.Http.GetAsync("/events?topic=public/a&topic=orders/1");
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);

        await using var allowed = await SseClient.OpenAsync(
            Node.Http, Node.Request(HttpMethod.Get, "/events?topic=orders/1&topic=public/a", OrdersReader));
        Assert.Equal("fanout.connected", (await allowed.NextAsync(Patience)).Event);
    }

    [Fact]
    public async Task Resuming_is_authorized_like_subscribing()
    {
        var topic = Topic("orders");
        using var published = await Node.PublishAsync(topic, SecuredNode.Admin);
        var id = JsonDocument.Parse(await published.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var anonymous = Node.Request(HttpMethod.Get, $"/topics/{topic}/events");
        anonymous.Headers.Add("Last-Event-ID", id);
        using var refused = await Node.Http.SendAsync(anonymous);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized);

        var stranger = Node.Request(HttpMethod.Get, $"/topics/{topic}/events?lastEventId={id}", TestTokens.Grant(subscribe: ["users/*"]));
        using var forbidden = await Node.Http.SendAsync(stranger);
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Topic_listings_show_only_what_the_caller_may_see()
    {
        var orders = Topic("orders");
        var users = Topic("users");
        var open = Topic("public");
        foreach (var topic in new[] { orders, users, open })
        {
            using var published = await Node.PublishAsync(topic, SecuredNode.Admin);
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }

        var asReader = await ListAsync(OrdersReader);
        Assert.Contains(orders, asReader);
        Assert.Contains(open, asReader);
        Assert.DoesNotContain(users, asReader);

        var asPublisher = await ListAsync(TestTokens.Grant(publish: ["users/*"]));
        Assert.Contains(users, asPublisher);
        Assert.DoesNotContain(orders, asPublisher);

        var asAnyone = await ListAsync(token: null);
        Assert.Contains(open, asAnyone);
        Assert.DoesNotContain(orders, asAnyone);
        Assert.DoesNotContain(users, asAnyone);

        var asAdmin = await ListAsync(SecuredNode.Admin);
        Assert.Contains(orders, asAdmin);
        Assert.Contains(users, asAdmin);
    }

    [Fact]
    public async Task A_single_topic_is_shown_only_to_who_may_see_it()
    {
        var users = Topic("users");
        using (var published = await Node.PublishAsync(users, SecuredNode.Admin))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }

        using var anonymous = await Node.Http.GetAsync($"/topics/{users}");
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);

        using var stranger = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, $"/topics/{users}", OrdersReader));
        await ProblemAssert.IsProblemAsync(stranger, HttpStatusCode.Forbidden);

        Assert.Equal(1, await Node.LastSeqAsync(users, TestTokens.Grant(subscribe: ["users/*"])));
    }

    [Fact]
    public async Task A_bad_token_gets_401_from_the_topic_listing()
    {
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/topics", TestTokens.Grant(subscribe: ["*"], key: "wrong-key-wrong-key-wrong-key-wrong-key")));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_stream_ends_when_the_token_that_opened_it_expires()
    {
        var shortLived = TestTokens.Grant(subscribe: ["orders/*"], expiresIn: TimeSpan.FromSeconds(3));
        var expiry = DateTimeOffset.FromUnixTimeSeconds(TestTokens.Payload(shortLived)["exp"]!.GetValue<long>());
        await using var stream = await SseClient.OpenAsync(Node.Http, Node.Request(HttpMethod.Get, $"/topics/{Topic("orders")}/events", shortLived));
        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);

        await stream.Completion.WaitAsync(Patience);

        // Ended by the expiry, not by anything earlier (exp has whole-second precision).
        Assert.True(DateTimeOffset.UtcNow >= expiry - TimeSpan.FromMilliseconds(100), "The stream ended before its token expired.");
    }

    private async Task<List<string>> ListAsync(string? token)
    {
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/topics", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("topics").EnumerateArray().Select(t => t.GetProperty("topic").GetString()!).ToList();
    }

    private static string Topic(string prefix) => $"{prefix}/{Guid.NewGuid():N}";
}
