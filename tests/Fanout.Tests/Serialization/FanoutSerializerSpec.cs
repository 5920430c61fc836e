using System.Text;
using Akka.Configuration;
using Akka.Serialization;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Serialization;
using Fanout.Topics;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Serialization;

/// <summary>
/// Every message that crosses nodes, and the journal record, is bound to
/// <see cref="FanoutSerializer"/> and comes back from its bytes as it went in.
/// </summary>
public sealed class FanoutSerializerSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(FanoutAkkaExtensions.SerializationHocon), output: output)
{
    private static readonly TopicEvent Event = new("orders/1", "0mx5fm5n3gr0s", 7, "id: 0mx5fm5n3gr0s-7\n"u8.ToArray(), "event: m\ndata: {}\n\n"u8.ToArray());

    public static TheoryData<string, object> Messages => new()
    {
        { "event", Event },
        { "publish", new PublishEvents("orders/1", [new EventDraft("order.created", "{\"a\":1}"u8.ToArray(), "k1"), new EventDraft("m", "2"u8.ToArray(), null)]) },
        { "accepted", new EventsAccepted("orders/1", "e1", [new AcceptedEvent(1, "e1-1", false), new AcceptedEvent(1, "e1-1", true)]) },
        { "not stored", new PublishNotStored("orders/1", "The journal failed to store the events.") },
        { "read history", new ReadHistory("orders/1", 3, 9, 65_536) },
        { "history slice", new HistorySlice("orders/1", "e1", 2, 9, [Event]) },
        { "get state", new GetTopicState("orders/1") },
        { "state", new TopicState("orders/1", "e1", 9, 2, 8, 1_234) },
        { "get subscribers", GetLocalSubscribers.Instance },
        { "subscribers", new LocalSubscribers(3, new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }) },
        { "snapshot page", new TopicSnapshotPage("orders/1", "e1", 9, true, [Event], [new RememberedKey("k", new AcceptedEvent(7, "e1-7", false))]) },
        { "discard snapshot", new DiscardTopicSnapshot("orders/1", "e1") },
        { "get details", GetSubscriberDetails.Instance },
        { "details", new SubscriberDetails([new SubscriberInfo("s1", "node", ["a"], "127.0.0.1", null, DateTimeOffset.UnixEpoch.AddDays(1), 5, 1, 2, null)]) },
        { "close subscriber", new CloseSubscriber("s1") },
        { "subscriber closed", new SubscriberClosed("s1", true) },
        { "locate key", new LocateKey("$mercure", "urn:uuid:0b0d6a43-5b7e-4e0b-9d1e-0d2c4f1f0d3a") },
        { "key located", new KeyLocation("$mercure", "urn:uuid:1", "e1", 7, 2, 9) },
        { "key not located", new KeyLocation("$mercure", "urn:uuid:2", "e1", null, 2, 9) },
        { "journal record", new TopicEventRecord("orders/1", "e1", 7, "order.created", "{\"total\":42}"u8.ToArray(), "k7", 1_764_633_600_000) },
        { "journal record without key", new TopicEventRecord("a:b/c", "e1", 1, "message", "\"x\""u8.ToArray(), null, 0) },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Round_trips_through_the_fanout_serializer(string name, object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<FanoutSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var manifest = Assert.IsAssignableFrom<SerializerWithStringManifest>(serializer).Manifest(message);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.Equal(message.GetType(), back.GetType());
        Assert.True(bytes.AsSpan().SequenceEqual(serializer.ToBinary(back)), $"{name} changed on the way back.");
    }

    [Fact]
    public void A_key_location_keeps_every_field()
    {
        foreach (var location in new[] { new KeyLocation("$mercure", "urn:uuid:1", "e1", 7, 2, 9), new KeyLocation("t", "k", "0", null, 1, 0) })
        {
            var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(location);

            var back = serializer.FromBinary(serializer.ToBinary(location), serializer.Manifest(location));

            Assert.Equal(location, back);
        }
    }

    [Fact]
    public void A_journal_record_keeps_every_field()
    {
        var record = new TopicEventRecord("orders/1", "e1", 7, "order.created", Encoding.UTF8.GetBytes("{\"total\":42}"), "k7", 1_764_633_600_000);
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(record);

        var back = (TopicEventRecord)serializer.FromBinary(serializer.ToBinary(record), serializer.Manifest(record));

        Assert.Equal((record.Topic, record.Epoch, record.Seq, record.Type, record.Key, record.AcceptedAtMs), (back.Topic, back.Epoch, back.Seq, back.Type, back.Key, back.AcceptedAtMs));
        Assert.Equal(record.Data, back.Data);
    }

    [Fact]
    public void A_journal_record_of_an_unknown_format_is_refused_not_misread()
    {
        var record = new TopicEventRecord("t", "e1", 1, "m", "1"u8.ToArray(), null, 0);
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(record);
        var bytes = serializer.ToBinary(record);
        bytes[0] = 99;

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(record)));
    }
}
