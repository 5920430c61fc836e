using System.Net.ServerSentEvents;
using Fanout.Load.Http;
using Fanout.Load.Publishing;
using Fanout.Load.Reporting;
using Fanout.Load.Stats;
using Fanout.Load.Subscribers;

namespace Fanout.Load.Checks;

/// <summary>
/// After publishing: resumes a sample of the run's topics from a cursor (Fanout's
/// <c>0-0</c>, "from the start") and checks that each returns exactly the events the run
/// sent it, in order, with no <c>fanout.reset</c> and no <c>fanout.lagged</c>. This is
/// what a client that resumes after a restart, a crash or passivation relies on. Each
/// topic is bounded by <see cref="LoadOptions.CheckSeconds"/>.
/// </summary>
public sealed class ResumeCheck
{
    private readonly LoadOptions _options;
    private readonly LatencyHistogram _firstEvent = new();
    private readonly LatencyHistogram _complete = new();
    private int _completeTopics;
    private int _resets;
    private int _timedOut;
    private long _missing;
    private long _unexpected;
    private long _lagged;
    private string? _firstProblem;

    public ResumeCheck(LoadOptions options) => _options = options;

    /// <summary>Checks the sampled topics, given that events 1..<paramref name="published"/> were sent.</summary>
    public async Task<ResumeCheckSummary> RunAsync(long published, CancellationToken cancellationToken)
    {
        // A run cut short by its deadline sent fewer events than it has topics: sample those that got one.
        var reached = published > 0 ? (int)Math.Min(_options.Topics, published) : _options.Topics;
        var sample = TopicSpread.Sample(reached, _options.CheckTopics);
        using var http = LoopbackHttp.Create(_options.CheckConcurrency);
        using var slots = new SemaphoreSlim(_options.CheckConcurrency);
        await Task.WhenAll(sample.Select(async index =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                await CheckTopicAsync(http, index, published, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }));

        return new ResumeCheckSummary(
            sample.Count,
            _options.CheckCursor,
            _completeTopics,
            _resets,
            Interlocked.Read(ref _missing),
            Interlocked.Read(ref _unexpected),
            Interlocked.Read(ref _lagged),
            _timedOut,
            _firstEvent.Summarize(),
            _complete.Summarize(),
            _firstProblem);
    }

    private async Task CheckTopicAsync(HttpClient http, long index, long published, CancellationToken cancellationToken)
    {
        var channel = TopicSpread.ChannelAt(_options.Channel, _options.Topics, index);
        // Publishes in flight together may reach the topic in any order: the check wants
        // the set the run sent, each once, in the order the server numbered them.
        var expected = TopicSpread.SeqsOf(_options.Topics, index, published).ToHashSet();
        var total = expected.Count;
        var lastServerSeq = 0L;
        var url = new Uri(_options.SubscribeUrls[0].Replace(Placeholders.Channel, Uri.EscapeDataString(channel), StringComparison.Ordinal));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.CheckSeconds));
        var startMicros = LoadClock.NowMicros;
        var next = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (_options.SubscribeToken is { } bearer)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }
            request.Headers.TryAddWithoutValidation("Last-Event-ID", _options.CheckCursor);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                Problem($"{channel}: HTTP {(int)response.StatusCode}");
                Interlocked.Add(ref _missing, total);
                return;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            await foreach (var item in SseParser.Create(stream, ReceivedItem.Parse).EnumerateAsync(deadline.Token))
            {
                switch (item.Data.Kind)
                {
                    case ItemKind.Event when expected.Remove(item.Data.Seq) && InOrder(item.EventId, ref lastServerSeq):
                        if (next == 0)
                        {
                            _firstEvent.Record(LoadClock.NowMicros - startMicros);
                        }

                        next++;
                        break;
                    case ItemKind.Event:
                        Interlocked.Increment(ref _unexpected);
                        Problem($"{channel}: event {item.Data.Seq} (id {item.EventId}) was not sent to it, came twice or out of the server's order");
                        break;
                    case ItemKind.Lagged:
                        Interlocked.Add(ref _lagged, item.Data.ToSeq - item.Data.FromSeq + 1);
                        Problem($"{channel}: fanout.lagged {item.Data.FromSeq}..{item.Data.ToSeq}");
                        break;
                    case ItemKind.Reset:
                        Interlocked.Increment(ref _resets);
                        Problem($"{channel}: fanout.reset");
                        Interlocked.Add(ref _missing, total - next);
                        return;
                }

                // The first frame (fanout.connected) ends the check of a topic that was sent nothing.
                if (next == total)
                {
                    _complete.Record(LoadClock.NowMicros - startMicros);
                    Interlocked.Increment(ref _completeTopics);
                    return;
                }
            }

            Problem($"{channel}: the stream ended after {next} of {total} events");
            Interlocked.Add(ref _missing, total - next);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            if (ex is OperationCanceledException)
            {
                Interlocked.Increment(ref _timedOut);
            }

            Problem($"{channel}: {(ex is OperationCanceledException ? "timed out" : ex.Message)} after {next} of {total} events");
            Interlocked.Add(ref _missing, total - next);
        }
    }

    /// <summary>The server's seq (ids shaped <c>epoch-seq</c>) must grow; ids of another shape are not checked.</summary>
    private static bool InOrder(string? eventId, ref long lastServerSeq)
    {
        if (string.IsNullOrEmpty(eventId))
        {
            return true;
        }

        var dash = eventId.LastIndexOf('-');
        if (dash <= 0 || !long.TryParse(eventId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
        {
            return true;
        }

        if (seq <= lastServerSeq)
        {
            return false;
        }

        lastServerSeq = seq;
        return true;
    }

    private void Problem(string what) => Interlocked.CompareExchange(ref _firstProblem, what, null);
}
