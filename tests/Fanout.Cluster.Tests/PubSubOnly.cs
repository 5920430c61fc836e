using System.Net.ServerSentEvents;

namespace Fanout.Cluster.Tests;

/// <summary>
/// Nodes whose events reach other nodes only through DistributedPubSub: a node's feed then
/// asks a topic's state only to attach, and never polls it, so no timed history read fills
/// in for pub-sub (a gap seen in an event pub-sub did deliver is still repaired). A test on
/// such nodes fails when pub-sub delivers nothing across nodes.
/// </summary>
public static class PubSubOnly
{
    public static readonly string[] Settings =
    [
        "--Fanout:Publisher:NewTopicSeconds=0",
        "--Fanout:Publisher:SyncSeconds=86400",
    ];

    /// <summary>
    /// Publishes warm-up events (data <c>0</c>) through <paramref name="publisher"/> until each
    /// stream has received one: pub-sub gossip has spread every stream node's subscription to
    /// the node that hosts the topic. Read on with <see cref="NextEventAsync"/>, which skips them.
    /// </summary>
    public static async Task AwaitRouteAsync(HttpClient publisher, string topic, params SseStream[] streams)
    {
        using var stop = new CancellationTokenSource();
        var pump = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 150; i++)
                {
                    await publisher.PublishAsync(topic, 0);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Every stream has its first event.
            }
        });
        try
        {
            foreach (var stream in streams)
            {
                var first = await stream.NextAsync(TimeSpan.FromSeconds(40));
                Assert.Equal("message", first.EventType);
                Assert.Equal(0, SseStream.DataNumber(first));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    /// <summary>The next frame that is not a warm-up event of <see cref="AwaitRouteAsync"/>.</summary>
    public static async Task<SseItem<string>> NextEventAsync(this SseStream stream, TimeSpan? timeout = null)
    {
        for (var skipped = 0; skipped < 1000; skipped++)
        {
            var item = await stream.NextAsync(timeout);
            if (item.EventType != "message" || SseStream.DataNumber(item) != 0)
            {
                return item;
            }
        }

        throw new InvalidOperationException("More than 1000 warm-up events in a row.");
    }
}
