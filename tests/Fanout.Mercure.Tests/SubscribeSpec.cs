using System.Net;
using Fanout.Testing;

namespace Fanout.Mercure.Tests;

/// <summary>GET /.well-known/mercure: selectors, private updates, the frame's lines, auth precedence, exp.</summary>
public sealed class SubscribeSpec(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private MercureNode Node => fixture.Node;

    private HttpClient Publisher { get; } = fixture.Node.Client(Jwt.Publisher("*"));

    [Fact]
    public async Task Exact_template_and_star_selectors_get_the_updates_they_match_and_no_other()
    {
        var root = NodeFixture.Topic("books");
        using var http = Node.Client(Jwt.Subscriber());
        await using var exact = await Mercure.SubscribeAsync(http, [root + "/1"]);
        await using var template = await Mercure.SubscribeAsync(http, [root + "/{id}"]);
        await using var star = await Mercure.SubscribeAsync(http, ["*"]);

        await Mercure.PublishAsync(Publisher, ("topic", root + "/2"), ("data", "two"));
        await Mercure.PublishAsync(Publisher, ("topic", root + "/1/reviews"), ("data", "review"));
        await Mercure.PublishAsync(Publisher, ("topic", root + "/1"), ("data", "one"));

        Assert.Equal("one", (await exact.NextAsync()).Data);
        Assert.Equal(["two", "one"], (await Mercure.NextAsync(template, 2)).Select(i => i.Data));
        var seen = new List<string>();
        while (seen.Count < 3)
        {
            var item = await star.NextAsync();
            if (item.Data is "two" or "review" or "one")
            {
                seen.Add(item.Data);
            }
        }

        Assert.Equal(["two", "review", "one"], seen);
    }

    [Fact]
    public async Task An_update_reaches_subscribers_of_its_alternate_topics()
    {
        var canonical = NodeFixture.Topic("canonical");
        var alternate = NodeFixture.Topic("alternate");
        using var http = Node.Client(Jwt.Subscriber());
        await using var stream = await Mercure.SubscribeAsync(http, [alternate]);

        await Mercure.PublishAsync(Publisher, ("topic", canonical), ("topic", alternate), ("data", "both"));

        Assert.Equal("both", (await stream.NextAsync()).Data);
    }

    [Fact]
    public async Task Private_updates_reach_only_subscribers_whose_claim_matches_one_of_their_topics()
    {
        var root = NodeFixture.Topic("books");
        var allowedTopic = root + "/1";
        using var allowed = Node.Client(Jwt.Subscriber(allowedTopic));
        using var other = Node.Client(Jwt.Subscriber(root + "/2"));
        using var viaAlternate = Node.Client(Jwt.Subscriber(root + "/users/foo/{?topic}"));
        await using var a = await Mercure.SubscribeAsync(allowed, [root + "/{id}"]);
        await using var b = await Mercure.SubscribeAsync(other, [root + "/{id}"]);
        await using var c = await Mercure.SubscribeAsync(viaAlternate, [root + "/{id}"]);

        await Mercure.PublishAsync(Publisher, ("topic", allowedTopic), ("topic", root + "/users/foo/?topic=" + Uri.EscapeDataString(allowedTopic)), ("data", "secret"), ("private", "on"));
        await Mercure.PublishAsync(Publisher, ("topic", allowedTopic), ("data", "public"));

        Assert.Equal(["secret", "public"], (await Mercure.NextAsync(a, 2)).Select(i => i.Data));
        Assert.Equal("public", (await b.NextAsync()).Data);
        Assert.Equal(["secret", "public"], (await Mercure.NextAsync(c, 2)).Select(i => i.Data));
    }

    [Fact]
    public async Task Type_becomes_event_retry_becomes_retry_every_update_has_its_id_and_multi_line_data_arrives_unchanged()
    {
        var topic = NodeFixture.Topic("lines");
        using var http = Node.Client(Jwt.Subscriber());
        await using var stream = await Mercure.SubscribeAsync(http, [topic]);

        var id = await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "line one\nline two\n\n{\"json\":true}"), ("type", "book.updated"), ("retry", "1234"));
        var plain = await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "plain"));

        var first = await stream.NextAsync();
        Assert.Equal(("book.updated", id, "line one\nline two\n\n{\"json\":true}", TimeSpan.FromMilliseconds(1234)), (first.EventType, first.EventId, first.Data, first.ReconnectionInterval!.Value));
        var second = await stream.NextAsync();
        Assert.Equal(("message", plain, "plain"), (second.EventType, second.EventId, second.Data));
    }

    [Fact]
    public async Task The_stream_is_SSE_with_fanouts_headers_and_its_first_bytes_come_at_once()
    {
        using var http = Node.Client(Jwt.Subscriber());
        using var response = await http.GetAsync(Mercure.Query(NodeFixture.Topic("h")), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[2];
        var read = await body.ReadAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.False(response.Headers.Contains("Last-Event-ID"), "Only a request with a Last-Event-ID gets one back.");
        Assert.True(read > 0 && first[0] == (byte)':');
    }

    [Fact]
    public async Task A_subscriber_needs_a_valid_token_and_a_topic()
    {
        using var anonymous = Node.Client();
        using var invalid = Node.Client(Jwt.Publisher("*"));
        using var valid = Node.Client(Jwt.Subscriber());

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Mercure.Query("*"), HttpCompletionOption.ResponseHeadersRead)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await invalid.GetAsync(Mercure.Query("*"), HttpCompletionOption.ResponseHeadersRead)).StatusCode);
        using var missing = await valid.GetAsync(Mercure.Path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("Missing \"topic\" parameter.\n", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_header_token_wins_over_the_query_which_wins_over_the_cookie()
    {
        var good = Jwt.Subscriber();
        var bad = Jwt.Mint("some-other-key-that-is-long-enough-0123456789", subscribe: ["*"]);

        async Task<HttpStatusCode> StatusAsync(string? header, string? query, string? cookie)
        {
            using var http = Node.Client(header);
            var request = new HttpRequestMessage(HttpMethod.Get, Mercure.Query("x") + (query is null ? string.Empty : "&authorization=" + query));
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", "mercureAuthorization=" + cookie);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(good, bad, bad));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(bad, good, good));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(null, good, bad));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(null, bad, good));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(null, null, good));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(null, null, bad));
    }

    [Fact]
    public async Task The_stream_ends_when_the_token_expires()
    {
        var topic = NodeFixture.Topic("exp");
        using var http = Node.Client(Jwt.Mint(MercureNode.SubscriberKey, subscribe: ["*"], expires: DateTime.UtcNow.AddSeconds(3)));
        await using var stream = await Mercure.SubscribeAsync(http, [topic]);

        await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "before"));
        Assert.Equal("before", (await stream.NextAsync()).Data);

        Assert.True(await stream.EndsAsync(TimeSpan.FromSeconds(15)), "The stream outlived its token.");
    }

    [Fact]
    public async Task A_republished_id_is_answered_as_before_and_delivered_once()
    {
        var topic = NodeFixture.Topic("dup");
        using var http = Node.Client(Jwt.Subscriber());
        await using var stream = await Mercure.SubscribeAsync(http, [topic]);
        var id = "urn:uuid:" + Guid.NewGuid();

        Assert.Equal(id, await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "first"), ("id", id)));
        Assert.Equal(id, await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "again"), ("id", id)));
        await Mercure.PublishAsync(Publisher, ("topic", topic), ("data", "next"));

        Assert.Equal(["first", "next"], (await Mercure.NextAsync(stream, 2)).Select(i => i.Data));
    }

    [Fact]
    public async Task Browsers_of_a_configured_origin_get_cors_headers_with_credentials()
    {
        await using var node = await MercureNode.StartAsync(null, "--Fanout:Mercure:CorsOrigins:0=https://app.example.com");
        using var http = node.Client();
        var preflight = new HttpRequestMessage(HttpMethod.Options, Mercure.Path);
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "last-event-id");
        var foreign = new HttpRequestMessage(HttpMethod.Options, Mercure.Path);
        foreign.Headers.Add("Origin", "https://evil.example.com");
        foreign.Headers.Add("Access-Control-Request-Method", "GET");

        using var allowed = await http.SendAsync(preflight);
        using var refused = await http.SendAsync(foreign);

        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
