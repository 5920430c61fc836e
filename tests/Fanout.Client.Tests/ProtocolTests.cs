using System.Text.Json;
using Fanout.Protocol;

namespace Fanout.Client.Tests;

/// <summary>
/// The contract's rules and shapes as Fanout.Protocol states them. The server takes its event
/// names, reset reasons, event-field rules, topic grammar, answer shapes and problem titles
/// from these same types, so there is nothing left to keep in agreement.
/// </summary>
public sealed class ProtocolTests
{
    [Theory]
    [InlineData("orders/1", true)]
    [InlineData("a:b/c-d_e.f", true)]
    [InlineData("/lead", false)]
    [InlineData("a//b", false)]
    [InlineData("a..b", false)]
    [InlineData("x/events", false)]
    [InlineData("x/events:batch", false)]
    [InlineData("", false)]
    public void Known_names_get_their_verdict(string name, bool valid)
    {
        Assert.Equal(valid, TopicName.IsValid(name));
        Assert.Equal(valid is false, TopicName.Validate(name) is not null);
    }

    [Fact]
    public void Event_fields_follow_their_rules()
    {
        Assert.True(EventFields.IsValidType("order.created"));
        Assert.False(EventFields.IsValidType("fanout.lagged"));
        Assert.False(EventFields.IsValidType(new string('a', EventFields.MaxTypeLength + 1)));
        Assert.True(EventFields.IsValidKey("order-1 created é"));
        Assert.False(EventFields.IsValidKey("a\nb"));
    }

    [Fact]
    public void Shapes_serialize_camelCase_as_the_contract_writes_them()
    {
        var context = FanoutJsonContext.Default;
        using var data = JsonDocument.Parse("""{"id":1}""");
        Assert.Equal("""{"data":{"id":1}}""", JsonSerializer.Serialize(new PublishRequest(data.RootElement), context.PublishRequest));
        Assert.Equal("""{"data":null,"type":"t","key":"k"}""", JsonSerializer.Serialize(new PublishRequest(JsonDocument.Parse("null").RootElement, "t", "k"), context.PublishRequest));
        Assert.Equal("""{"topic":"t","seq":1,"id":"e-1"}""", JsonSerializer.Serialize(new PublishAnswer("t", 1, "e-1"), context.PublishAnswer));
        Assert.Equal("""{"topic":"t","seq":1,"id":"e-1","duplicate":true}""", JsonSerializer.Serialize(new PublishAnswer("t", 1, "e-1", true), context.PublishAnswer));
        Assert.Equal("""{"topic":"t","events":[{"seq":1,"id":"e-1"}]}""", JsonSerializer.Serialize(new BatchAnswer("t", [new BatchEventAnswer(1, "e-1")]), context.BatchAnswer));
        Assert.Equal(new LaggedPayload("t", 3, 2, 4), JsonSerializer.Deserialize("""{"topic":"t","dropped":3,"fromSeq":2,"toSeq":4}""", context.LaggedPayload));
        Assert.Equal("""{"topic":"t","reason":"cursor-expired"}""", JsonSerializer.Serialize(new ResetPayload("t", ResetReasons.CursorExpired), context.ResetPayload));
        var connected = JsonSerializer.Deserialize("""{"node":"akka.tcp://fanout@127.0.0.1:4053","topics":["a"],"resumed":false}""", context.ConnectedPayload)!;
        Assert.Equal(["a"], connected.Topics);
        Assert.Equal("n", JsonSerializer.Deserialize("""{"node":"n"}""", context.ShutdownPayload)!.Node);
    }

    [Fact]
    public void Paths_keep_a_topics_slashes_raw()
    {
        Assert.Equal("/topics/orders/1/events", FanoutPaths.TopicEvents("orders/1"));
        Assert.Equal("/topics/a:b/events:batch", FanoutPaths.TopicBatch("a:b"));
        Assert.Equal("/events?topic=a%2F1&topic=b", FanoutPaths.MultiTopicEvents(["a/1", "b"]));
    }
}
