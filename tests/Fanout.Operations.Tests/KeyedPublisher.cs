using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Fanout.Operations.Tests;

/// <summary>An event a node answered 202 for: the <c>n</c> it carried and where the topic put it.</summary>
public sealed record AcceptedEvent(string Topic, long N, long Seq, string Id);

/// <summary>One event as a resuming client read it.</summary>
public sealed record ReadEvent(long Seq, string Id, long N);

/// <summary>
/// Publishes <c>{"data": n, "key": "event-n"}</c>: the idempotency key makes a retry after a
/// crash or a move safe (at most once), retrying until a 202 makes it at least once.
/// </summary>
public static class KeyedPublisher
{
    /// <summary>One attempt; null when no 202 came back (refused, failed, or the node went away).</summary>
    public static async Task<AcceptedEvent?> TryPublishAsync(HttpClient http, string topic, long n)
    {
        try
        {
            using var response = await http.PostAsync(
                $"/topics/{topic}/events",
                JsonContent.Create(new { data = n, key = $"event-{n}" }));
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return null;
            }

            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return new AcceptedEvent(
                topic,
                n,
                answer.RootElement.GetProperty("seq").GetInt64(),
                answer.RootElement.GetProperty("id").GetString()!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    /// <summary>Retries (round-robin over <paramref name="nodes"/>) until a 202; fails after <paramref name="within"/>.</summary>
    public static async Task<AcceptedEvent> PublishUntilAcceptedAsync(IReadOnlyList<HttpClient> nodes, string topic, long n, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            if (await TryPublishAsync(nodes[attempt % nodes.Count], topic, n) is { } accepted)
            {
                return accepted;
            }

            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"Publish {n} to {topic} got no 202 within {within.TotalSeconds:0} s.");
    }

    /// <summary>The seq of a one-topic cursor (<c>epoch-seq</c>).</summary>
    public static long SeqOf(string id) => long.Parse(id[(id.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>The epoch of a one-topic cursor (<c>epoch-seq</c>).</summary>
    public static string EpochOf(string id) => id[..id.LastIndexOf('-')];

    /// <summary>
    /// Reads events until seq <paramref name="lastSeq"/>; any other frame (a <c>fanout.reset</c>,
    /// a <c>fanout.lagged</c>) fails, so what comes back is exactly what the client was owed.
    /// </summary>
    public static async Task<List<ReadEvent>> ReadThroughAsync(SseStream stream, long lastSeq, TimeSpan perFrame)
    {
        var read = new List<ReadEvent>();
        var highest = 0L;
        for (var i = 0; i < 100_000; i++)
        {
            if (highest >= lastSeq)
            {
                return read;
            }

            SseItem<string> item = await stream.NextAsync(perFrame);
            Assert.True(item.EventType == "message", $"expected an event, got {item.EventType}: {item.Data}");
            var evt = new ReadEvent(SeqOf(item.EventId!), item.EventId!, SseStream.DataNumber(item));
            read.Add(evt);
            highest = evt.Seq;
        }

        throw new InvalidOperationException("More than 100,000 frames before the last seq.");
    }
}
