using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Fanout.Security.Tests;

/// <summary>Every request-shape limit answers with its documented status and a problem body.</summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class LimitTests(SecuredNode fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_event_larger_than_the_limit_is_413()
    {
        var big = $$"""{"data":"{{new string('x', SecuredNode.MaxEventBytes)}}"}""";

        using var response = await Node.PublishAsync(Topic(), SecuredNode.Admin, big);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_event_larger_than_the_limit_without_content_length_is_413()
    {
        var big = Encoding.UTF8.GetBytes($$"""{"data":"{{new string('x', 4 * SecuredNode.MaxEventBytes)}}"}""");
        using var request = Node.Request(HttpMethod.Post, $"/topics/{Topic()}/events", SecuredNode.Admin);
        request.Content = new StreamContent(new UnknownLengthStream(big));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Node.Http.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_batch_with_too_many_events_is_413_and_an_empty_one_400()
    {
        var tooMany = "[" + string.Join(",", Enumerable.Repeat("""{"data":1}""", SecuredNode.MaxBatchEvents + 1)) + "]";
        using var many = await Batch(Topic(), tooMany);
        await ProblemAssert.IsProblemAsync(many, HttpStatusCode.RequestEntityTooLarge);

        using var empty = await Batch(Topic(), "[]");
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_batch_larger_than_the_byte_limit_is_413()
    {
        var fat = $$"""{"data":"{{new string('y', SecuredNode.MaxEventBytes - 100)}}"}""";
        var body = "[" + string.Join(",", Enumerable.Repeat(fat, SecuredNode.MaxBatchEvents)) + "]";

        using var response = await Batch(Topic(), body);

        Assert.True(Encoding.UTF8.GetByteCount(body) > SecuredNode.MaxBatchBytes);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("a%20b")]
    [InlineData("trailing%2F")]
    [InlineData("a%2F%2Fb")]
    [InlineData("star*")]
    public async Task A_topic_outside_the_grammar_is_400(string rawTopic)
    {
        using var publish = await Node.PublishAsync(rawTopic, SecuredNode.Admin);
        await ProblemAssert.IsProblemAsync(publish, HttpStatusCode.BadRequest);

        using var subscribe = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, $"/topics/{rawTopic}/events", SecuredNode.Admin));
        await ProblemAssert.IsProblemAsync(subscribe, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_by_type_and_400_by_content()
    {
        using var request = Node.Request(HttpMethod.Post, $"/topics/{Topic()}/events", SecuredNode.Admin);
        request.Content = new StringContent("""{"data":1}""", Encoding.UTF8, "text/plain");
        using var wrongType = await Node.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType);

        using var notJson = await Node.PublishAsync(Topic(), SecuredNode.Admin, "{data:");
        await ProblemAssert.IsProblemAsync(notJson, HttpStatusCode.BadRequest);

        using var noData = await Node.PublishAsync(Topic(), SecuredNode.Admin, """{"type":"x"}""");
        await ProblemAssert.IsProblemAsync(noData, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_subscription_to_too_many_topics_is_400()
    {
        var query = string.Join("&", Enumerable.Range(0, SecuredNode.MaxTopicsPerSubscription + 1).Select(i => $"topic=orders/{i}"));

        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, $"/events?{query}", SecuredNode.Admin));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Rejected_publishes_leave_the_topic_unchanged_and_batches_are_all_or_nothing()
    {
        var topic = Topic();
        using (var first = await Node.PublishAsync(topic, SecuredNode.Admin))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var rejected = new List<HttpResponseMessage>
        {
            await Node.PublishAsync(topic, token: null),
            await Node.PublishAsync(topic, TestTokens.Grant(publish: ["elsewhere/*"])),
            await Node.PublishAsync(topic, TestTokens.Grant(publish: ["*"], expiresIn: TimeSpan.FromMinutes(-5))),
            await Node.PublishAsync(topic, SecuredNode.Admin, $$"""{"data":"{{new string('z', SecuredNode.MaxEventBytes)}}"}"""),
            await Node.PublishAsync(topic, SecuredNode.Admin, """{"data":1,"type":"fanout.connected"}"""),
            await Node.PublishAsync(topic, SecuredNode.Admin, """{"data":1,"extra":true}"""),
            await Batch(topic, """[{"data":1},{"data":2},{"nodata":3}]"""),
            await Batch(topic, """[{"data":1},{"data":2},"not an event"]"""),
            await Batch(topic, "[" + string.Join(",", Enumerable.Repeat("""{"data":1}""", SecuredNode.MaxBatchEvents + 1)) + "]"),
            await Batch(topic, """{"data":1}"""),
        };
        try
        {
            Assert.All(rejected, r => Assert.True((int)r.StatusCode is >= 400 and < 500, $"{r.StatusCode}"));
            Assert.Equal(1, await Node.LastSeqAsync(topic, SecuredNode.Admin));
        }
        finally
        {
            rejected.ForEach(r => r.Dispose());
        }

        using var whole = await Batch(topic, """[{"data":1},{"data":2},{"data":3}]""");
        Assert.Equal(HttpStatusCode.Accepted, whole.StatusCode);
        Assert.Equal(4, await Node.LastSeqAsync(topic, SecuredNode.Admin));
    }

    private async Task<HttpResponseMessage> Batch(string topic, string json)
    {
        using var request = Node.Request(HttpMethod.Post, $"/topics/{topic}/events:batch", SecuredNode.Admin, json);
        return await Node.Http.SendAsync(request);
    }

    private static string Topic() => $"limits/{Guid.NewGuid():N}";

    /// <summary>A body whose length HttpClient cannot know, so it goes chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
