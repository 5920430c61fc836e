using System.Net;
using System.Text;
using Fanout.Server.Tests.Infrastructure;

namespace Fanout.Server.Tests;

/// <summary>
/// Every rejection is an RFC 9457 problem with the right status and a title that says what
/// was wrong; none is a 500.
/// </summary>
public sealed class BadInputTests(SmallLimitsNode fixture) : IClassFixture<SmallLimitsNode>, IAsyncLifetime
{
    private readonly TestNode _node = fixture.Node;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever a test sent, the node handled it: nothing reached the error log.</summary>
    public Task DisposeAsync()
    {
        Assert.Empty(_node.Log.Errors);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/topics/bad%20name/events", "only contain")]
    [InlineData("/topics/a%2F%2Fb/events", "empty segment")]
    [InlineData("/topics/a//b/events", "empty segment")]
    [InlineData("/topics/a..b/events", "'..'")]
    [InlineData("/topics/%2Fa/events", "start or end")]
    [InlineData("/topics/a%2F/events", "start or end")]
    [InlineData("/topics/x/events/events", "'events'")]
    [InlineData("/topics/x/events:batch/events", "'events'")]
    [InlineData("/topics//events", "empty")]
    [InlineData("/topics/caf%C3%A9/events", "only contain")]
    public async Task Invalid_topic_names_are_400_for_publish_and_subscribe(string path, string detail)
    {
        using var publish = await PostJsonAsync(path, """{"data":1}""");
        using var batch = await PostJsonAsync(path + ":batch", """[{"data":1}]""");
        using var subscribe = await _node.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        foreach (var response in new[] { publish, batch, subscribe })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Invalid topic name");
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/topics/bad%20name")]
    [InlineData("/topics/a..b")]
    [InlineData("/topics/a//b")]
    [InlineData("/topics/a/")]
    [InlineData("/topics/events")]
    public async Task Invalid_topic_names_are_400_for_topic_state(string path)
    {
        using var response = await _node.Http.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Invalid topic name");
    }

    [Fact]
    public async Task A_topic_name_over_200_characters_is_400()
    {
        var name = new string('t', 201);

        using var response = await PostJsonAsync($"/topics/{name}/events", """{"data":1}""");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Invalid topic name");
        Assert.Contains("200", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"data\":1} trailing", "not valid JSON")]
    [InlineData("{\"type\":\"order.created\"}", "'data' is required")]
    [InlineData("{}", "'data' is required")]
    [InlineData("{\"data\":1,\"colour\":\"red\"}", "unknown field 'colour'")]
    [InlineData("{\"data\":1,\"type\":5}", "'type' must be")]
    [InlineData("{\"data\":1,\"type\":\"\"}", "'type' must be")]
    [InlineData("{\"data\":1,\"type\":\"has space\"}", "'type' must be")]
    [InlineData("{\"data\":1,\"type\":\"fanout.lagged\"}", "'type' must be")]
    [InlineData("{\"data\":1,\"key\":7}", "'key' must be")]
    [InlineData("[{\"data\":1}]", "must be a JSON object")]
    [InlineData("\"data\"", "must be a JSON object")]
    public async Task Invalid_event_bodies_are_400(string body, string title)
    {
        var topic = TopicNames.Fresh("bad-body");

        using var response = await PostJsonAsync($"/topics/{topic}/events", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, title);
        await AssertNothingPublishedAsync(topic);
    }

    [Theory]
    [InlineData("{\"data\":1}", "JSON array")]
    [InlineData("[]", "empty")]
    [InlineData("[{\"data\":1},{\"type\":\"x\"}]", "Event 1: 'data' is required")]
    [InlineData("[{\"data\":1},{\"data\":2,\"extra\":true}]", "Event 1: unknown field 'extra'")]
    [InlineData("[{\"data\":1},7]", "Event 1: an event must be a JSON object")]
    public async Task Invalid_batches_are_400_and_publish_nothing(string body, string title)
    {
        var topic = TopicNames.Fresh("bad-batch");

        using var response = await PostJsonAsync($"/topics/{topic}/events:batch", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, title);
        await AssertNothingPublishedAsync(topic);
    }

    [Theory]
    [InlineData("""{"data":"\ud800"}""", false)]
    [InlineData("""{"data":"ok \udc00 ok"}""", false)]
    [InlineData("""{"data":{"\ud800":1}}""", false)]
    [InlineData("""{"data":{"a":[1,{"b":"\udbff"}]}}""", false)]
    [InlineData("""{"data":1,"type":"\ud800"}""", false)]
    [InlineData("""{"data":1,"key":"k\ud800"}""", false)]
    [InlineData("""{"\ud800":1,"data":1}""", false)]
    [InlineData("""{"data":"\ude00\ud83d"}""", false)]
    [InlineData("""[{"data":1},{"data":"\ud800"}]""", true)]
    [InlineData("""[{"data":1,"type":"\ud800"}]""", true)]
    [InlineData("""[{"data":1,"key":"\udfff"}]""", true)]
    public async Task A_lone_surrogate_escape_is_400_not_500(string body, bool batch)
    {
        var topic = TopicNames.Fresh("surrogate");

        using var response = await PostJsonAsync($"/topics/{topic}/events{(batch ? ":batch" : string.Empty)}", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "unpaired surrogate escape");
        await AssertNothingPublishedAsync(topic);
    }

    [Fact]
    public async Task A_surrogate_pair_escape_is_accepted()
    {
        var topic = TopicNames.Fresh("surrogate-pair");

        using var response = await PostJsonAsync($"/topics/{topic}/events", """{"data":"\ud83d\ude00","key":"\ud83d\ude00"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("FF")]
    [InlineData("C0AF")]
    [InlineData("E080AF")]
    [InlineData("F08080AF")]
    [InlineData("EDA080")]
    [InlineData("E282")]
    [InlineData("80")]
    [InlineData("F4908080")]
    public async Task Invalid_or_overlong_utf8_is_400(string hex)
    {
        var topic = TopicNames.Fresh("utf8");
        var bytes = Encoding.ASCII.GetBytes("""{"data":"x""").Concat(Convert.FromHexString(hex)).Concat(Encoding.ASCII.GetBytes("\"}")).ToArray();
        var batchBytes = new[] { (byte)'[' }.Concat(bytes).Append((byte)']').ToArray();

        using var single = await PostBytesAsync($"/topics/{topic}/events", bytes);
        using var batch = await PostBytesAsync($"/topics/{topic}/events:batch", batchBytes);

        await ProblemAssert.IsProblemAsync(single, HttpStatusCode.BadRequest, "not valid UTF-8");
        await ProblemAssert.IsProblemAsync(batch, HttpStatusCode.BadRequest, "not valid UTF-8");
        await AssertNothingPublishedAsync(topic);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_json_is_415(string? contentType)
    {
        var topic = TopicNames.Fresh("media");
        var content = new ByteArrayContent("""{"data":1}"""u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var single = await _node.Http.PostAsync($"/topics/{topic}/events", content);
        using var batch = await _node.Http.PostAsync($"/topics/{topic}/events:batch", content);

        await ProblemAssert.IsProblemAsync(single, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ProblemAssert.IsProblemAsync(batch, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await AssertNothingPublishedAsync(topic);
    }

    [Fact]
    public async Task Json_with_a_charset_or_a_json_suffix_is_accepted()
    {
        var topic = TopicNames.Fresh("media-ok");

        using var charset = await _node.Http.PostAsync($"/topics/{topic}/events", new StringContent("""{"data":1}""", Encoding.UTF8, "application/json"));
        using var suffix = await _node.Http.PostAsync($"/topics/{topic}/events", new StringContent("""{"data":2}""", Encoding.UTF8, "application/cloudevents+json"));

        Assert.Equal(HttpStatusCode.Accepted, charset.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, suffix.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_MaxEventBytes_is_413(bool announceLength)
    {
        var topic = TopicNames.Fresh("large");
        var body = $$"""{"data":"{{new string('x', SmallLimitsNode.MaxEventBytes)}}"}""";
        HttpContent content = announceLength
            ? new StringContent(body, Encoding.UTF8, "application/json")
            : new ChunkedJson(body);

        using var response = await _node.Http.PostAsync($"/topics/{topic}/events", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"larger than {SmallLimitsNode.MaxEventBytes} bytes");
        await AssertNothingPublishedAsync(topic);
    }

    [Fact]
    public async Task A_batch_event_over_MaxEventBytes_is_413()
    {
        var topic = TopicNames.Fresh("large-batch");
        var body = $$"""[{"data":1},{"data":"{{new string('x', SmallLimitsNode.MaxEventBytes)}}"}]""";

        using var response = await PostJsonAsync($"/topics/{topic}/events:batch", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "Event 1: data is larger");
        await AssertNothingPublishedAsync(topic);
    }

    [Fact]
    public async Task A_batch_over_MaxBatchEvents_is_413_and_publishes_nothing()
    {
        var topic = TopicNames.Fresh("long-batch");
        var body = "[" + string.Join(",", Enumerable.Repeat("""{"data":1}""", SmallLimitsNode.MaxBatchEvents + 1)) + "]";

        using var response = await PostJsonAsync($"/topics/{topic}/events:batch", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"more than {SmallLimitsNode.MaxBatchEvents} events");
        await AssertNothingPublishedAsync(topic);
    }

    [Theory]
    [InlineData("PUT", "/topics/t/events")]
    [InlineData("DELETE", "/topics/t/events")]
    [InlineData("PATCH", "/topics/t")]
    [InlineData("POST", "/topics/t")]
    [InlineData("GET", "/topics/t/events:batch")]
    [InlineData("POST", "/healthz")]
    [InlineData("POST", "/readyz")]
    [InlineData("DELETE", "/topics")]
    [InlineData("POST", "/topics")]
    [InlineData("POST", "/events?topic=t")]
    public async Task A_wrong_method_is_405_and_says_what_is_allowed(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "GET" or "DELETE" ? null : new StringContent("""{"data":1}""", Encoding.UTF8, "application/json"),
        };

        using var response = await _node.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, string.Empty);
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.DoesNotContain(method, response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/topic/t/events")]
    [InlineData("/events/t")]
    public async Task An_unknown_path_is_404(string path)
    {
        using var response = await _node.Http.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "Not Found");
    }

    [Fact]
    public async Task Too_many_topics_in_one_stream_is_400()
    {
        var query = string.Join("&", Enumerable.Range(0, SmallLimitsNode.MaxTopicsPerSubscription + 1).Select(i => $"topic=many-{i}"));

        using var response = await _node.Http.GetAsync($"/events?{query}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"at most {SmallLimitsNode.MaxTopicsPerSubscription} topics");
    }

    [Theory]
    [InlineData("/events", "'topic' query parameter is required")]
    [InlineData("/events?topic=", "Invalid topic ''")]
    [InlineData("/events?topic=ok&topic=not%20ok", "Invalid topic 'not ok'")]
    [InlineData("/events?topic=a%2F%2Fb", "Invalid topic 'a//b'")]
    public async Task A_bad_multi_topic_request_is_400(string path, string title)
    {
        using var response = await _node.Http.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, title);
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string path, string body) =>
        await _node.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return await _node.Http.PostAsync(path, content);
    }

    private async Task AssertNothingPublishedAsync(string topic)
    {
        // A topic that never accepted an event is unknown.
        using var response = await _node.Http.GetAsync($"/topics/{topic}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, body);
    }

    /// <summary>A JSON body sent without Content-Length, so only reading it reveals its size.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string body)
        {
            _bytes = Encoding.UTF8.GetBytes(body);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < _bytes.Length; at += 1024)
            {
                await stream.WriteAsync(_bytes.AsMemory(at, Math.Min(1024, _bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
