using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Server.Tests.Infrastructure;

namespace Fanout.Server.Tests;

/// <summary>The HTTP contract's happy paths: publish answers, topic paths, topic state, health.</summary>
public sealed class ContractTests(SmallLimitsNode fixture) : IClassFixture<SmallLimitsNode>
{
    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task Publish_answers_202_with_topic_seq_and_id()
    {
        var topic = TopicNames.Fresh("publish");

        using var response = await _node.Http.PostAsJsonAsync($"/topics/{topic}/events", new { type = "order.created", data = new { id = 7 } });
        using var second = await _node.Http.PostAsJsonAsync($"/topics/{topic}/events", new { data = "plain" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var answer = await ReadJsonAsync(response);
        Assert.Equal(["topic", "seq", "id"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(topic, answer.GetProperty("topic").GetString());
        Assert.Equal(1, answer.GetProperty("seq").GetInt64());
        var (epoch, seq) = Cursors.Parse(answer.GetProperty("id").GetString()!);
        Assert.Equal(1, seq);
        Assert.Matches("^[a-z0-9]+$", epoch);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var next = await ReadJsonAsync(second);
        Assert.Equal(2, next.GetProperty("seq").GetInt64());
        Assert.Equal($"{epoch}-2", next.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Batch_answers_202_with_every_seq_and_id_in_request_order()
    {
        var topic = TopicNames.Fresh("batch");
        await _node.PublishAsync(topic, new { before = true });
        var events = Enumerable.Range(0, SmallLimitsNode.MaxBatchEvents)
            .Select(i => new { type = $"step.{i}", data = new { i } })
            .ToList();

        using var response = await _node.Http.PostAsJsonAsync($"/topics/{topic}/events:batch", events);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await ReadJsonAsync(response);
        Assert.Equal(topic, answer.GetProperty("topic").GetString());
        var accepted = answer.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(2, events.Count).Select(i => (long)i), accepted.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.All(accepted, e => Assert.Equal(e.GetProperty("seq").GetInt64(), Cursors.Seq(e.GetProperty("id").GetString()!)));

        // The stream replays them in the same order with the same types.
        var start = Cursors.Parse(accepted[0].GetProperty("id").GetString()!);
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events", $"{start.Epoch}-1");
        await stream.NextAsync("fanout.connected");
        for (var i = 0; i < events.Count; i++)
        {
            var received = await stream.NextAsync();
            Assert.Equal(accepted[i].GetProperty("id").GetString(), received.Id);
            Assert.Equal($"step.{i}", received.Type);
        }
    }

    [Fact]
    public async Task Raw_and_percent_encoded_slashes_name_the_same_topic()
    {
        var prefix = TopicNames.Fresh("orders");
        var topic = $"{prefix}/eu/1";
        var encoded = topic.Replace("/", "%2F", StringComparison.Ordinal);
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{encoded}/events");
        await stream.NextAsync("fanout.connected");

        var raw = await _node.PublishAsync(topic, new { via = "raw" });
        var escaped = await _node.PublishAsync(encoded, new { via = "escaped" });
        var mixed = await _node.PublishAsync($"{prefix}%2Feu/1", new { via = "mixed" });

        Assert.Equal([topic, topic, topic], new[] { raw.Topic, escaped.Topic, mixed.Topic });
        Assert.Equal([1L, 2L, 3L], new[] { raw.Seq, escaped.Seq, mixed.Seq });
        foreach (var expected in new[] { raw, escaped, mixed })
        {
            Assert.Equal(expected.Id, (await stream.NextAsync()).Id);
        }

        foreach (var path in new[] { topic, encoded })
        {
            var state = await GetJsonAsync($"/topics/{path}");
            Assert.Equal(topic, state.GetProperty("topic").GetString());
            Assert.Equal(3, state.GetProperty("lastSeq").GetInt64());
        }
    }

    [Fact]
    public async Task Topic_state_shows_subscribers_last_seq_and_history_span()
    {
        var topic = TopicNames.Fresh("state");
        var published = SmallLimitsNode.HistoryEvents + 20;
        for (var sent = 0; sent < published; sent += SmallLimitsNode.MaxBatchEvents)
        {
            await _node.PublishBatchAsync(topic, Enumerable.Range(sent, SmallLimitsNode.MaxBatchEvents).Select(i => (object)new { i }));
        }

        await using var first = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        await using var second = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        await first.NextAsync("fanout.connected");
        await second.NextAsync("fanout.connected");

        var state = await GetJsonAsync($"/topics/{topic}");
        Assert.Equal(topic, state.GetProperty("topic").GetString());
        Assert.Equal(2, state.GetProperty("subscribers").GetInt32());
        Assert.Equal(published, state.GetProperty("lastSeq").GetInt64());
        Assert.False(string.IsNullOrEmpty(state.GetProperty("epoch").GetString()));
        var history = state.GetProperty("history");
        Assert.Equal(published - SmallLimitsNode.HistoryEvents + 1, history.GetProperty("fromSeq").GetInt64());
        Assert.Equal(published, history.GetProperty("toSeq").GetInt64());
        Assert.Equal(SmallLimitsNode.HistoryEvents, history.GetProperty("events").GetInt32());
        Assert.True(history.GetProperty("bytes").GetInt64() > 0);

        var list = await GetJsonAsync("/topics");
        var listed = list.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == topic);
        Assert.Equal(2, listed.GetProperty("subscribers").GetInt32());
        Assert.Equal(published, listed.GetProperty("lastSeq").GetInt64());
        Assert.Equal(published, listed.GetProperty("history").GetProperty("toSeq").GetInt64());
        Assert.False(list.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Asking_about_a_topic_nobody_published_to_is_404_and_creates_nothing()
    {
        var topic = TopicNames.Fresh("unused");

        using var first = await _node.Http.GetAsync($"/topics/{topic}");
        await ProblemAssert.IsProblemAsync(first, HttpStatusCode.NotFound, $"Topic '{topic}' has no events.");

        // Still unknown afterwards: not listed, and a second look is the same answer.
        var list = await GetJsonAsync("/topics");
        Assert.DoesNotContain(list.GetProperty("topics").EnumerateArray(), t => t.GetProperty("topic").GetString() == topic);
        using var second = await _node.Http.GetAsync($"/topics/{topic}");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task A_topic_with_no_events_can_be_subscribed_and_delivers_its_first_event()
    {
        var topic = TopicNames.Fresh("first");
        await using var stream = await EventStream.OpenAsync(_node.Http, $"/topics/{topic}/events");
        Assert.Equal("0-0", (await stream.NextAsync("fanout.connected")).Id);

        var published = await _node.PublishAsync(topic, new { n = 1 });

        var received = await stream.NextAsync();
        Assert.Equal(published.Id, received.Id);
        Assert.Equal(1L, published.Seq);
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        var health = await GetJsonAsync("/healthz");

        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_answers_ready_for_an_up_member()
    {
        var ready = await GetJsonAsync("/readyz");

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("Up", ready.GetProperty("member").GetString());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _node.Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await ReadJsonAsync(response);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
