using System.Collections.Concurrent;
using System.Text.Json;
using Xunit.Abstractions;

namespace Fanout.Operations.Tests;

/// <summary>
/// Issue 11: <c>kill -9</c> of a single node right after a burst of concurrent publishes,
/// restarted on the same SQLite file, loses no event that got a 202.
/// </summary>
public sealed class SqliteCrashSpec
{
    private const int Publishes = 500;
    private const int InFlight = 16;
    private const int Topics = 4;

    // The kill lands while the burst still runs, so the last publishes are in flight: they
    // may or may not have reached the journal, only the accepted ones are owed.
    private const int KillAfterAccepted = 460;

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PerFrame = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;

    public SqliteCrashSpec(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_node_killed_during_a_publish_burst_restarts_on_its_SQLite_file_with_every_accepted_event_once_in_order()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fanout-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "fanout.db");
        var server = await NodeProcess.StartAsync("--Fanout:Store:Kind=sqlite", $"--Fanout:Store:ConnectionString=Data Source={database}");
        try
        {
            var topics = Enumerable.Range(0, Topics).Select(i => $"crash-{i}-{Guid.NewGuid():N}").ToArray();
            var startCursors = new Dictionary<string, string>();
            using (var http = Client(server.Url))
            {
                await LoopbackNode.AwaitReadyAsync(server.Url, Ready);
                foreach (var topic in topics)
                {
                    await using var stream = await SseStream.OpenAsync(http, $"/topics/{topic}/events");
                    var connected = await stream.NextAsync(PerFrame);
                    Assert.Equal("fanout.connected", connected.EventType);
                    startCursors[topic] = connected.EventId!;
                }

                var (accepted, unanswered) = await BurstThenKillAsync(http, server, topics);
                _output.WriteLine($"{accepted.Count} publishes got 202 before SIGKILL, {unanswered.Count} did not");
                Assert.True(accepted.Count >= KillAfterAccepted, $"{accepted.Count} accepted before the kill");
                Assert.True(File.Exists(database), "the journal is the SQLite file");

                server = await server.StartAgainAsync();
                await LoopbackNode.AwaitReadyAsync(server.Url, Ready);
                await AssertEveryAcceptedEventResumesAsync(server.Url, topics, startCursors, accepted, unanswered);
            }
        }
        catch
        {
            _output.WriteLine(server.RecentOutput);
            throw;
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>16 publishers share 500 publishes over the topics; SIGKILL once <see cref="KillAfterAccepted"/> are accepted.</summary>
    private static async Task<(List<AcceptedEvent> Accepted, List<(string Topic, long N)> Unanswered)> BurstThenKillAsync(
        HttpClient http, NodeProcess server, string[] topics)
    {
        var accepted = new ConcurrentBag<AcceptedEvent>();
        var acceptedCount = 0;
        var unanswered = new ConcurrentBag<(string Topic, long N)>();
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = 0L;
        var burst = Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n <= Publishes; n = Interlocked.Increment(ref next))
            {
                var topic = topics[n % topics.Length];
                if (await KeyedPublisher.TryPublishAsync(http, topic, n) is { } answer)
                {
                    accepted.Add(answer);
                    if (Interlocked.Increment(ref acceptedCount) >= KillAfterAccepted)
                    {
                        killNow.TrySetResult();
                    }
                }
                else
                {
                    unanswered.Add((topic, n));
                }
            }
        }));

        await Task.WhenAny(killNow.Task, burst).WaitAsync(TimeSpan.FromMinutes(2));
        await server.KillAsync();
        await burst.WaitAsync(TimeSpan.FromMinutes(2));
        return (accepted.ToList(), unanswered.ToList());
    }

    private async Task AssertEveryAcceptedEventResumesAsync(
        Uri url, string[] topics, Dictionary<string, string> startCursors, List<AcceptedEvent> accepted, List<(string Topic, long N)> unanswered)
    {
        using var http = Client(url);
        var recovered = 0;
        for (var i = 0; i < topics.Length; i++)
        {
            var topic = topics[i];
            var owed = accepted.Where(a => a.Topic == topic).OrderBy(a => a.Seq).ToList();
            Assert.NotEmpty(owed);
            var lastSeq = await LastSeqAsync(http, topic);
            Assert.True(lastSeq >= owed[^1].Seq, $"{topic}: last seq {lastSeq} is behind the accepted seq {owed[^1].Seq}");

            await using var stream = await SseStream.OpenAsync(http, $"/topics/{topic}/events", startCursors[topic]);
            Assert.Equal("fanout.connected", (await stream.NextAsync(PerFrame)).EventType);
            var read = await KeyedPublisher.ReadThroughAsync(stream, lastSeq, PerFrame);

            // Everything the journal holds, once, in order: seqs 1..last with no hole, no
            // number twice, all in the epoch the 202s named.
            Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(s => (long)s), read.Select(r => r.Seq));
            Assert.Equal(read.Count, read.Select(r => r.N).Distinct().Count());
            Assert.All(read, r => Assert.Equal(KeyedPublisher.EpochOf(owed[0].Id), KeyedPublisher.EpochOf(r.Id)));
            var bySeq = read.ToDictionary(r => r.Seq);
            Assert.All(owed, a =>
            {
                Assert.Equal(a.N, bySeq[a.Seq].N);
                Assert.Equal(a.Id, bySeq[a.Seq].Id);
            });
            recovered += read.Count;

            // The numbering continues where the journal ends, and live delivery with it.
            var next = await KeyedPublisher.TryPublishAsync(http, topic, Publishes + 1 + i);
            Assert.NotNull(next);
            Assert.Equal(lastSeq + 1, next.Seq);
            var live = await stream.NextAsync(PerFrame);
            Assert.Equal("message", live.EventType);
            Assert.Equal(next.Id, live.EventId);

            // The idempotency keys came back with the events: a retry of an accepted
            // publish, or of one in flight at the kill that reached the journal, answers
            // its stored seq; one that never reached it is numbered after the rest.
            var stored = read.ToDictionary(r => r.N, r => r.Seq);
            var expectedNew = next.Seq;
            foreach (var retry in owed.Select(a => a.N).Concat(unanswered.Where(u => u.Topic == topic).Select(u => u.N).Order()))
            {
                var answer = await KeyedPublisher.TryPublishAsync(http, topic, retry);
                Assert.NotNull(answer);
                Assert.Equal(stored.TryGetValue(retry, out var seq) ? seq : ++expectedNew, answer.Seq);
            }

            Assert.Equal(expectedNew, await LastSeqAsync(http, topic));
        }

        _output.WriteLine($"{recovered} events read back after the restart ({recovered - accepted.Count} of them in flight at the kill)");
    }

    private static async Task<long> LastSeqAsync(HttpClient http, string topic)
    {
        using var response = await http.GetAsync($"/topics/{topic}");
        response.EnsureSuccessStatusCode();
        using var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return state.RootElement.GetProperty("lastSeq").GetInt64();
    }

    private static HttpClient Client(Uri url) => new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
}
