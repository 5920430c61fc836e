using Fanout.Testing;

namespace Fanout.Mercure.Tests;

/// <summary>
/// A stalled Mercure subscriber is bounded like a Fanout one (drop-head mailbox); Mercure
/// clients know no lagged event, so its stream ends after the updates before the gap, and
/// the reconnect with its Last-Event-ID replays the rest from history: nothing is lost.
/// </summary>
public sealed class LaggedSpec
{
    private const int Updates = 400;

    [Fact]
    public async Task A_stalled_subscriber_is_cut_at_the_gap_and_its_reconnect_loses_nothing()
    {
        await using var node = await MercureNode.StartAsync(
            null,
            "--Fanout:Subscriber:MaxEvents=8",
            "--Fanout:Subscriber:StreamBufferFrames=1",
            "--Fanout:Subscriber:WriteTimeoutSeconds=300");
        using var publisher = node.Client(Jwt.Publisher("*"));
        using var http = node.Client(Jwt.Subscriber());
        var topic = NodeFixture.Topic("slow");

        // Big updates fill the socket buffers while the client does not read.
        var data = new string('x', 48 * 1024);
        await using var stalled = await Mercure.SubscribeAsync(http, [topic]);
        var published = new List<string>(Updates);
        for (var i = 0; i < Updates; i++)
        {
            published.Add(await Mercure.PublishAsync(publisher, ("topic", topic), ("data", data)));
        }

        var received = new List<string>();
        var ended = false;
        for (var i = 0; i < Updates && !ended; i++)
        {
            try
            {
                received.Add((await stalled.NextAsync(TimeSpan.FromSeconds(30))).EventId!);
            }
            catch (EndOfStreamException)
            {
                ended = true;
            }
        }

        Assert.True(ended, $"The stream did not end at the gap: it carried all {received.Count} updates, so nothing was dropped.");
        Assert.True(received.Count < Updates);
        Assert.Equal(published.Take(received.Count), received);

        await using var resumed = await Mercure.SubscribeAsync(http, [topic], lastEventId: received[^1]);
        while (received.Count < Updates)
        {
            received.Add((await resumed.NextAsync(TimeSpan.FromSeconds(30))).EventId!);
        }

        Assert.Equal(published, received);
    }
}
