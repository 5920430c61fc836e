using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Fanout.Publishing;

namespace Fanout.Operations.Tests;

/// <summary>
/// Known traffic through one node: a reader that keeps up and a client that stalls. Events
/// go out in batches no larger than a mailbox and the reader drains each batch before the
/// next, so it never drops; the stalled client's tiny mailbox must drop once its socket
/// buffers are full. Afterwards the stalled client reads on and accounts for every seq.
/// </summary>
public sealed class SlowClientScenario : IAsyncDisposable
{
    public const int MailboxEvents = 16;
    public const string StalledAgent = "stalled-client/1.0";
    public const string ReaderAgent = "keeping-up-client/1.0";

    // Both bounds hold: a condition that waits for time (a warning interval) needs more
    // batches on a fast machine, a condition that waits for drops fewer on a slow one.
    private const int MaxBatches = 10_000;
    private static readonly TimeSpan MaxPublishing = TimeSpan.FromSeconds(60);
    private static readonly string Padding = new('x', 16 * 1024);

    private readonly OpsNode _node;
    private readonly HttpClient _stalledHttp;
    private readonly HttpClient _readerHttp;

    private SlowClientScenario(OpsNode node, string topic, HttpClient readerHttp, SseStream reader, HttpClient stalledHttp, SseStream stalled)
    {
        _node = node;
        Topic = topic;
        _readerHttp = readerHttp;
        Reader = reader;
        _stalledHttp = stalledHttp;
        Stalled = stalled;
    }

    /// <summary>Node settings the scenario relies on: a 16-event mailbox, no byte bound in the way, no heartbeats, patient writes.</summary>
    public static IReadOnlyList<string> NodeSettings { get; } =
    [
        $"--Fanout:Subscriber:MaxEvents={MailboxEvents}",
        "--Fanout:Subscriber:MaxBytes=67108864",
        "--Fanout:Subscriber:HeartbeatSeconds=0",
        "--Fanout:Subscriber:WriteTimeoutSeconds=300",
    ];

    public string Topic { get; }

    public SseStream Reader { get; }

    public SseStream Stalled { get; }

    /// <summary>Events published so far; seqs run 1..Published.</summary>
    public long Published { get; private set; }

    public long ReaderMessages { get; private set; }

    /// <summary>The stalled client as the node saw it when it was first found dropping with events waiting in its mailbox.</summary>
    public SubscriberInfo? StalledWhenDropping { get; private set; }

    public static async Task<SlowClientScenario> StartAsync(OpsNode node, string prefix)
    {
        var topic = $"{prefix}-{Guid.NewGuid():N}";
        var readerHttp = Client(node, ReaderAgent);
        var reader = await SseStream.OpenAsync(readerHttp, $"/topics/{topic}/events");
        Assert.Equal("fanout.connected", (await reader.NextAsync()).EventType);
        var stalledHttp = Client(node, StalledAgent);
        var stalled = await SseStream.OpenAsync(stalledHttp, $"/topics/{topic}/events");
        Assert.Equal("fanout.connected", (await stalled.NextAsync()).EventType);
        return new SlowClientScenario(node, topic, readerHttp, reader, stalledHttp, stalled);
    }

    public static HttpClient Client(OpsNode node, string userAgent)
    {
        var http = new HttpClient { BaseAddress = node.Url, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return http;
    }

    /// <summary>
    /// Publishes batches until the stalled client's mailbox has dropped and still holds
    /// events (socket buffers may still give a little room now and then), then
    /// <paramref name="extraBatches"/> more.
    /// </summary>
    public async Task PublishUntilTheStalledClientDropsAsync(int extraBatches = 2)
    {
        StalledWhenDropping = await PublishUntilAsync(stalled => stalled is { Dropped: > 0, MailboxDepth: > 0 });
        for (var extra = 0; extra < extraBatches; extra++)
        {
            await PublishBatchAsync();
        }
    }

    /// <summary>Publishes batches until the stalled client's state meets <paramref name="condition"/>; returns that state.</summary>
    public async Task<SubscriberInfo> PublishUntilAsync(Func<SubscriberInfo, bool> condition)
    {
        var publishing = System.Diagnostics.Stopwatch.StartNew();
        for (var batch = 0; batch < MaxBatches && publishing.Elapsed < MaxPublishing; batch++)
        {
            await PublishBatchAsync();
            var stalled = await SubscriberAsync(StalledAgent);
            if (condition(stalled))
            {
                return stalled;
            }
        }

        throw new InvalidOperationException($"The stalled client did not get there within {MaxBatches} batches or {MaxPublishing.TotalSeconds} s ({publishing.Elapsed.TotalSeconds:0.0} s).");
    }

    /// <summary>
    /// The stalled client reads on until it has accounted for every seq 1..Published, in
    /// order, each exactly once: as an event or inside a <c>fanout.lagged</c> run.
    /// </summary>
    public async Task<StalledReading> DrainStalledAsync()
    {
        var (reading, _) = await ReadStalledAsync(until: null);
        Assert.Equal(Published, reading.AccountedUpTo);
        return reading;
    }

    /// <summary>
    /// The stalled client reads on until a frame of <paramref name="eventType"/> arrives; what
    /// came before it accounts for every seq from 1 on, in order, without a hole (the rest is
    /// the resuming client's to fetch).
    /// </summary>
    public Task<(StalledReading Reading, SseItem<string>? Match)> ReadStalledUntilAsync(string eventType) => ReadStalledAsync(eventType);

    private async Task<(StalledReading Reading, SseItem<string>? Match)> ReadStalledAsync(string? until)
    {
        long next = 1, messages = 0, laggedFrames = 0, laggedEvents = 0;
        for (var frame = 0; frame < 100_000 && (until is not null || next <= Published); frame++)
        {
            var item = await Stalled.NextAsync();
            if (item.EventType == until)
            {
                return (new StalledReading(messages, laggedFrames, laggedEvents, next - 1), item);
            }

            switch (item.EventType)
            {
                case "message":
                    Assert.Equal(next, SeqOf(item.EventId));
                    messages++;
                    next++;
                    break;
                case "fanout.lagged":
                    using (var lagged = JsonDocument.Parse(item.Data))
                    {
                        var from = lagged.RootElement.GetProperty("fromSeq").GetInt64();
                        var to = lagged.RootElement.GetProperty("toSeq").GetInt64();
                        Assert.Equal(next, from);
                        Assert.True(to >= from, $"lagged run {from}..{to}");
                        Assert.Equal(to - from + 1, lagged.RootElement.GetProperty("dropped").GetInt64());
                        laggedFrames++;
                        laggedEvents += to - from + 1;
                        next = to + 1;
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unexpected frame {item.EventType}: {item.Data}");
            }
        }

        return (new StalledReading(messages, laggedFrames, laggedEvents, next - 1), null);
    }

    public async Task<SubscriberInfo> SubscriberAsync(string userAgent)
    {
        var details = await _node.Hub.GetClusterSubscriberDetailsAsync();
        return details.Subscribers.Single(s => s.UserAgent == userAgent);
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        await Stalled.DisposeAsync();
        _readerHttp.Dispose();
        _stalledHttp.Dispose();
    }

    private async Task PublishBatchAsync()
    {
        var events = Enumerable.Range(0, MailboxEvents).Select(i => new { data = new { n = Published + i + 1, pad = Padding } }).ToList();
        using var response = await _node.Http.PostAsync($"/topics/{Topic}/events:batch", JsonContent.Create(events));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Published += MailboxEvents;

        // The reader takes the whole batch before the next one goes out: its mailbox never overflows.
        for (var i = 0; i < MailboxEvents; i++)
        {
            var item = await Reader.NextAsync();
            Assert.Equal("message", item.EventType);
            Assert.Equal(ReaderMessages + 1, SeqOf(item.EventId));
            ReaderMessages++;
        }
    }

    private static long SeqOf(string? eventId)
    {
        Assert.NotNull(eventId);
        return long.Parse(eventId[(eventId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>What the stalled client got once it read on: events, and lagged frames with the events they stand for, covering seqs 1..AccountedUpTo.</summary>
public sealed record StalledReading(long Messages, long LaggedFrames, long LaggedEvents, long AccountedUpTo);
