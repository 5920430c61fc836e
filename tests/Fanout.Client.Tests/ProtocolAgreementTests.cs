using System.Text.Json;
using CsCheck;
using Fanout.Protocol;
using CoreTopicName = Fanout.Topics.TopicName;
using ProtocolTopicName = Fanout.Protocol.TopicName;

namespace Fanout.Client.Tests;

/// <summary>
/// Until the server takes its contract from Fanout.Protocol, these keep the two definitions
/// from drifting apart: same verdicts on generated topic names, same control-event names and reasons.
/// </summary>
public sealed class ProtocolAgreementTests
{
    // Mostly legal characters, a few illegal ones, and the pieces the rules are about.
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.Char["abcxyzABZ019._-:"].Select(c => c.ToString()),
        Gen.Const("/"),
        Gen.Const(".."),
        Gen.Const("//"),
        Gen.Const("events"),
        Gen.Const("events:batch"),
        Gen.Char[" %?#é\u0000+*"].Select(c => c.ToString()));

    private static readonly Gen<string> Names = Gen.OneOf(
        Piece.Array[0, 30].Select(parts => string.Concat(parts)),
        Gen.Char["ab/"].Array[195, 205].Select(chars => new string(chars)));

    [Fact]
    public void The_protocol_and_the_core_agree_on_every_generated_topic_name() =>
        Names.Sample(name => Assert.Equal(CoreTopicName.Validate(name), ProtocolTopicName.Validate(name)), iter: 20_000);

    [Theory]
    [InlineData("orders/1", true)]
    [InlineData("a:b/c-d_e.f", true)]
    [InlineData("/lead", false)]
    [InlineData("a//b", false)]
    [InlineData("a..b", false)]
    [InlineData("x/events", false)]
    [InlineData("x/events:batch", false)]
    [InlineData("", false)]
    public void Known_names_get_the_same_verdict(string name, bool valid)
    {
        Assert.Equal(valid, ProtocolTopicName.IsValid(name));
        Assert.Equal(valid, CoreTopicName.IsValid(name));
    }

    [Fact]
    public void Control_event_names_and_reset_reasons_match_the_core()
    {
        Assert.Equal(Fanout.Sse.SseEncoder.ConnectedEvent, EventNames.Connected);
        Assert.Equal(Fanout.Sse.SseEncoder.LaggedEvent, EventNames.Lagged);
        Assert.Equal(Fanout.Sse.SseEncoder.ResetEvent, EventNames.Reset);
        Assert.Equal(Fanout.Sse.SseEncoder.ShutdownEvent, EventNames.Shutdown);
        Assert.Equal(Fanout.Subscribers.ResetReason.CursorExpired, ResetReasons.CursorExpired);
        Assert.Equal(Fanout.Subscribers.ResetReason.EpochChanged, ResetReasons.EpochChanged);
        Assert.Equal(Fanout.Subscribers.ResetReason.CursorInvalid, ResetReasons.CursorInvalid);
    }

    [Fact]
    public void Event_field_bounds_match_the_server()
    {
        Assert.Equal(Fanout.AspNetCore.Http.EventBodyReader.MaxTypeLength, EventFields.MaxTypeLength);
        Assert.Equal(Fanout.AspNetCore.Http.EventBodyReader.MaxKeyLength, EventFields.MaxKeyLength);
        Assert.True(EventFields.IsValidType("order.created"));
        Assert.False(EventFields.IsValidType("fanout.lagged"));
        Assert.False(EventFields.IsValidType(new string('a', 101)));
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
