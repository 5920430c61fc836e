using System.Net;
using System.Text.Json.Nodes;

namespace Fanout.Security.Tests;

/// <summary>Which tokens a node with a signing key accepts, and from where.</summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class AuthenticationTests(SecuredNode fixture)
{
    private static readonly string OrdersPublisher = TestTokens.Grant(publish: ["orders/*"], subject: "orders-publisher");

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Publish_without_a_token_is_401_with_a_bearer_challenge()
    {
        using var response = await Node.PublishAsync("orders/1", token: null);

        var title = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("token is required", title, StringComparison.Ordinal);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_token_scoped_to_orders_publishes_orders_1_but_not_users_1()
    {
        using (var allowed = await Node.PublishAsync("orders/1", OrdersPublisher))
        {
            Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        }

        using var denied = await Node.PublishAsync("users/1", OrdersPublisher);
        var title = await ProblemAssert.IsProblemAsync(denied, HttpStatusCode.Forbidden);
        Assert.Contains("users/1", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefix_grant_covers_topics_below_the_prefix_only()
    {
        using var self = await Node.PublishAsync("orders", OrdersPublisher);
        await ProblemAssert.IsProblemAsync(self, HttpStatusCode.Forbidden);

        using var lookalike = await Node.PublishAsync("orders-archive/1", OrdersPublisher);
        await ProblemAssert.IsProblemAsync(lookalike, HttpStatusCode.Forbidden);

        using var deep = await Node.PublishAsync("orders/eu/42", OrdersPublisher);
        Assert.Equal(HttpStatusCode.Accepted, deep.StatusCode);
    }

    [Fact]
    public async Task Batch_publish_is_authorized_like_single_publish()
    {
        using var request = Node.Request(HttpMethod.Post, "/topics/users/1/events:batch", OrdersPublisher, """[{"data":1}]""");
        using var response = await Node.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var expired = TestTokens.Grant(publish: ["*"], expiresIn: TimeSpan.FromHours(-1));

        using var response = await Node.PublishAsync("orders/1", expired);

        var title = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("The bearer token was rejected.", title);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = TestTokens.Grant(publish: ["*"], key: "somebody-elses-key-0123456789-abcdefghij");

        using var response = await Node.PublishAsync("orders/1", forged);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("signature", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alg_none_token_is_401()
    {
        var unsigned = TestTokens.Unsigned(TestTokens.Payload(SecuredNode.Admin));

        using var publish = await Node.PublishAsync("orders/1", unsigned);
        await ProblemAssert.IsProblemAsync(publish, HttpStatusCode.Unauthorized);

        using var subscribe = await Node.Http.GetAsync($"/topics/orders/1/events?access_token={unsigned}");
        await ProblemAssert.IsProblemAsync(subscribe, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_with_a_tampered_payload_is_401()
    {
        var parts = OrdersPublisher.Split('.');
        var widened = TestTokens.Payload(OrdersPublisher);
        widened["fanout"] = new JsonObject { ["publish"] = new JsonArray("*") };
        var tampered = TestTokens.Sign(widened, "x-" + TestTokens.Key).Split('.')[1];

        using var response = await Node.PublishAsync("users/1", $"{parts[0]}.{tampered}.{parts[2]}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_without_expiry_or_for_another_audience_are_401()
    {
        var payload = TestTokens.Payload(SecuredNode.Admin);
        payload.Remove("exp");
        using var noExpiry = await Node.PublishAsync("orders/1", TestTokens.Sign(payload, TestTokens.Key));
        await ProblemAssert.IsProblemAsync(noExpiry, HttpStatusCode.Unauthorized);

        var otherAudience = TestTokens.Grant(publish: ["*"], audience: "another-service");
        using var wrongAudience = await Node.PublishAsync("orders/1", otherAudience);
        await ProblemAssert.IsProblemAsync(wrongAudience, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_the_second_configured_key_is_accepted()
    {
        var rotated = TestTokens.Grant(publish: ["orders/*"], key: TestTokens.RotatedKey);

        using var response = await Node.PublishAsync("orders/rotated", rotated);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_a_fanout_claim_may_do_nothing()
    {
        var payload = TestTokens.Payload(SecuredNode.Admin);
        payload.Remove("fanout");
        var bare = TestTokens.Sign(payload, TestTokens.Key);

        using var response = await Node.PublishAsync("orders/1", bare);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Publish_does_not_take_the_token_from_query_or_cookie()
    {
        using var query = Node.Request(HttpMethod.Post, $"/topics/orders/1/events?access_token={SecuredNode.Admin}", json: """{"data":1}""");
        using var byQuery = await Node.Http.SendAsync(query);
        await ProblemAssert.IsProblemAsync(byQuery, HttpStatusCode.Unauthorized);

        using var cookie = Node.Request(HttpMethod.Post, "/topics/orders/1/events", json: """{"data":1}""");
        cookie.Headers.Add("Cookie", $"access_token={SecuredNode.Admin}");
        using var byCookie = await Node.Http.SendAsync(cookie);
        await ProblemAssert.IsProblemAsync(byCookie, HttpStatusCode.Unauthorized);
    }
}
