using System.Net.ServerSentEvents;
using System.Text;
using Fanout.AspNetCore.Mercure;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Mercure.Tests;

/// <summary>An update's SSE frame, read back by the framework's SSE parser; the update's JSON round trip.</summary>
public sealed class MercureFrameSpec
{
    [Fact]
    public void Type_retry_id_and_every_line_of_the_data_are_on_the_wire()
    {
        var update = new MercureUpdate(["https://example.com/a"], "first\nsecond\n\nfourth", false, "urn:uuid:1", "book.updated", 2500);

        var text = Encoding.UTF8.GetString(MercureEncoding.Frame(update));

        Assert.Equal("event: book.updated\nretry: 2500\nid: urn:uuid:1\ndata: first\ndata: second\ndata: \ndata: fourth\n\n", text);
        var item = Assert.Single(Parse(text));
        Assert.Equal(("book.updated", "urn:uuid:1", "first\nsecond\n\nfourth", TimeSpan.FromMilliseconds(2500)), (item.EventType, item.EventId, item.Data, item.ReconnectionInterval!.Value));
    }

    [Theory]
    [InlineData("a\r\nb", "a\nb")]
    [InlineData("a\rb", "a\nb")]
    [InlineData("", "")]
    [InlineData("{\"json\": \"stays\"}", "{\"json\": \"stays\"}")]
    public void Every_line_end_starts_a_data_line_as_the_hub_writes_them(string data, string parsed)
    {
        var item = Assert.Single(Parse(Encoding.UTF8.GetString(MercureEncoding.Frame(new MercureUpdate(["t"], data, false, "i", null, null)))));

        Assert.Equal(("message", parsed, null), (item.EventType, item.Data, item.ReconnectionInterval));
    }

    [Fact]
    public void An_update_round_trips_through_its_event_and_the_frame_is_built_once_per_event()
    {
        var update = new MercureUpdate(["https://example.com/a", "https://example.com/alt"], "é\n\"x\"", true, "urn:uuid:2", null, 10);
        var evt = new TopicEvent(MercureTopic.Name, "e1", 1, SseEncoder.IdLine("e1-1"), SseEncoder.EventBody(MercureTopic.EventType, update.ToJson()));

        var first = evt.FrameFor(MercureEncoding.Instance);

        Assert.Equal(update.Topics, first.Update!.Topics);
        Assert.Equal(update with { Topics = first.Update.Topics }, first.Update);
        Assert.Same(first, evt.FrameFor(MercureEncoding.Instance));
    }

    [Fact]
    public void An_event_that_is_not_an_update_has_no_frame()
    {
        var evt = new TopicEvent(MercureTopic.Name, "e1", 1, SseEncoder.IdLine("e1-1"), SseEncoder.EventBody("other", "{}"u8));

        Assert.Null(evt.FrameFor(MercureEncoding.Instance).Update);
        Assert.Null(new MercureDialect(["*"], [], new TopicSelectors()).Frame(evt));
    }

    [Theory]
    [InlineData(false, new[] { "https://example.com/books/{id}" }, new string[0], true)]
    [InlineData(true, new[] { "https://example.com/books/{id}" }, new string[0], false)]
    [InlineData(true, new[] { "https://example.com/books/{id}" }, new[] { "https://example.com/books/1" }, true)]
    [InlineData(true, new[] { "https://example.com/books/{id}" }, new[] { "https://example.com/users/foo/{?topic}" }, true)]
    [InlineData(true, new[] { "https://example.com/books/{id}" }, new[] { "https://example.com/users/bar/{?topic}" }, false)]
    [InlineData(false, new[] { "https://example.com/users/foo/{?topic}" }, new string[0], true)]
    [InlineData(false, new[] { "https://example.com/authors/{id}" }, new[] { "*" }, false)]
    public void Private_updates_need_a_subscribe_claim_matching_a_canonical_or_alternate_topic(
        bool isPrivate, string[] selectors, string[] allowed, bool receives)
    {
        var update = new MercureUpdate(
            ["https://example.com/books/1", "https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1"],
            "d", isPrivate, "urn:uuid:3", null, null);

        Assert.Equal(receives, new MercureDialect(selectors, allowed, new TopicSelectors()).Receives(update));
    }

    private static List<SseItem<string>> Parse(string text) =>
        SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(text))).Enumerate().ToList();
}
