using System.Net;

namespace Fanout.Mercure.Tests;

/// <summary>POST /.well-known/mercure: answers, ids and every refusal, as the Mercure hub gives them.</summary>
public sealed class PublishSpec(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private MercureNode Node => fixture.Node;

    [Fact]
    public async Task A_publish_answers_200_text_plain_with_a_generated_urn_uuid_or_the_given_id()
    {
        using var http = Node.Client(Jwt.Publisher("*"));
        var topic = NodeFixture.Topic("a");

        using var generated = await Mercure.PostAsync(http, ("topic", topic), ("data", "x"));
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        Assert.Equal("text/plain", generated.Content.Headers.ContentType!.MediaType);
        Assert.Matches("^urn:uuid:[0-9a-f-]{36}$", await generated.Content.ReadAsStringAsync());

        var id = "https://example.com/ids/" + Guid.NewGuid();
        Assert.Equal(id, await Mercure.PublishAsync(http, ("topic", topic), ("data", "x"), ("id", id)));
    }

    [Fact]
    public async Task Without_a_valid_token_with_mercure_publish_it_is_401()
    {
        var topic = NodeFixture.Topic("a");
        string?[] tokens =
        [
            null,
            "not-a-jwt",
            Jwt.Mint("another-key-that-is-long-enough-0123456789", publish: ["*"]),
            Jwt.Mint(MercureNode.PublisherKey, subscribe: ["*"]),
            Jwt.Mint(MercureNode.PublisherKey, publish: ["*"], expires: DateTime.UtcNow.AddMinutes(-1)),
            Jwt.Subscriber("*"),
        ];
        foreach (var token in tokens)
        {
            using var http = Node.Client(token);
            using var response = await Mercure.PostAsync(http, ("topic", topic), ("data", "x"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        }

        using var basic = Node.Client();
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Mercure.PostAsync(basic, ("topic", topic))).StatusCode);
    }

    [Fact]
    public async Task A_topic_outside_mercure_publish_is_403_even_when_the_others_are_inside()
    {
        using var http = Node.Client(Jwt.Publisher("https://example.com/books/{id}"));

        Assert.Equal(HttpStatusCode.OK, (await Mercure.PostAsync(http, ("topic", "https://example.com/books/1"))).StatusCode);
        using var mixed = await Mercure.PostAsync(http, ("topic", "https://example.com/books/1"), ("topic", "https://example.com/authors/1"));
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        using var empty = Node.Client(Jwt.Publisher());
        Assert.Equal(HttpStatusCode.Forbidden, (await Mercure.PostAsync(empty, ("topic", "https://example.com/books/1"))).StatusCode);
    }

    [Fact]
    public async Task Bad_fields_and_bad_bodies_are_400_never_a_5xx()
    {
        using var http = Node.Client(Jwt.Publisher("*"));
        var topic = NodeFixture.Topic("a");

        foreach (var fields in new[]
        {
            new[] { ("data", "no topic") },
            new[] { ("topic", topic), ("id", "#fragment") },
            new[] { ("topic", topic), ("retry", "x") },
            new[] { ("topic", topic), ("type", "a\nb") },
        })
        {
            using var response = await Mercure.PostAsync(http, fields);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        }

        foreach (var (body, type) in new[] { ("{\"topic\":\"x\"}", "application/json"), ("%zz&&==&data=%", "application/x-www-form-urlencoded"), ("\u0000\u0001", "text/plain") })
        {
            using var response = await http.PostAsync(Mercure.Path, new StringContent(body, System.Text.Encoding.UTF8, type));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{type} body answered {(int)response.StatusCode}.");
        }

        using var reserved = await Mercure.PostAsync(http, ("topic", "https://example.com/.well-known/mercure/subscriptions/a/b"));
        Assert.Equal(HttpStatusCode.Forbidden, reserved.StatusCode);
    }

    [Fact]
    public async Task The_reserved_topic_cannot_be_addressed_through_fanouts_own_endpoints()
    {
        using var publish = await Node.Http.PostAsync("/topics/%24mercure/events", new StringContent("{\"data\":1}", System.Text.Encoding.UTF8, "application/json"));
        using var subscribe = await Node.Http.GetAsync("/topics/$mercure/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.BadRequest, publish.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, subscribe.StatusCode);
    }
}
