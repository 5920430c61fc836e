using System.Text.Json;
using Xunit.Abstractions;

namespace Fanout.Operations.Tests;

/// <summary>
/// Issue 11: in a 3-node cluster on a shared PostgreSQL journal, SIGKILL of one node loses
/// nothing: every topic it hosted is recovered on a survivor, where its clients resume with
/// their last cursor and get the rest exactly, with no <c>fanout.reset</c>.
/// </summary>
public sealed class PostgresClusterCrashSpec
{
    private const int Topics = 24;
    private const int EventsBefore = 5;
    private const int EventsAfter = 5;

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PerFrame = TimeSpan.FromSeconds(30);

    // Keep-majority downs the killed node only after failure detection and
    // split-brain-resolver.stable-after (10 s): topics it hosted wait for that.
    private static readonly TimeSpan AcceptedWithin = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;

    public PostgresClusterCrashSpec(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public async Task Every_topic_of_a_node_killed_with_SIGKILL_resumes_exactly_on_a_survivor()
    {
        await using var postgres = await TestPostgres.CreateOrSkipAsync("cluster_crash");
        var nodes = new List<NodeProcess>();
        var clients = new List<HttpClient>();
        var streams = new List<SseStream>();
        try
        {
            await StartClusterAsync(postgres, nodes, clients);
            var victim = nodes[1];
            var survivors = new[] { clients[0], clients[2] };

            // Clients of the node that will crash, one per topic, each reading live.
            var topics = Enumerable.Range(0, Topics).Select(i => $"pg-crash-{i}-{Guid.NewGuid():N}").ToArray();
            foreach (var topic in topics)
            {
                var stream = await SseStream.OpenAsync(clients[1], $"/topics/{topic}/events");
                streams.Add(stream);
                Assert.Equal("fanout.connected", (await stream.NextAsync(PerFrame)).EventType);
            }

            var before = await PublishAsync(clients, topics, 1, EventsBefore);
            var onVictim = await TopicsHostedOnAsync(clients[1], topics);
            _output.WriteLine($"{onVictim.Count} of {Topics} topics live on the node that is killed");
            Assert.NotEmpty(onVictim);
            foreach (var stream in streams)
            {
                var read = await KeyedPublisher.ReadThroughAsync(stream, EventsBefore, PerFrame);
                Assert.Equal(Enumerable.Range(1, EventsBefore).Select(s => (long)s), read.Select(r => r.Seq));
            }

            await victim.KillAsync();
            var killed = DateTime.UtcNow;
            var after = await PublishAsync(survivors, topics, EventsBefore + 1, EventsAfter);
            _output.WriteLine($"every topic accepted again {(DateTime.UtcNow - killed).TotalSeconds:0.0} s after the kill");

            for (var i = 0; i < Topics; i++)
            {
                var topic = topics[i];
                var cursor = streams[i].LastEventId!;
                var accepted = before[topic].Concat(after[topic]).ToList();

                // The numbering continues across the crash: seqs 1..N in publish order, one epoch.
                Assert.Equal(Enumerable.Range(1, EventsBefore + EventsAfter).Select(s => (long)s), accepted.Select(a => a.Seq));
                Assert.Single(accepted.Select(a => KeyedPublisher.EpochOf(a.Id)).Distinct());

                await using var resumed = await SseStream.OpenAsync(survivors[i % 2], $"/topics/{topic}/events", cursor);
                var connected = await resumed.NextAsync(PerFrame);
                Assert.Equal("fanout.connected", connected.EventType);
                Assert.Contains("\"resumed\":true", connected.Data);
                var rest = await KeyedPublisher.ReadThroughAsync(resumed, EventsBefore + EventsAfter, PerFrame);
                Assert.Equal(after[topic].Select(a => (a.Id, a.N)), rest.Select(r => (r.Id, r.N)));
            }

            // Each accepted event is one journal row: retries after the crash stored nothing twice.
            Assert.Equal(Topics * (EventsBefore + EventsAfter), await postgres.CountJournalRowsAsync());
        }
        catch
        {
            foreach (var node in nodes)
            {
                _output.WriteLine($"--- {node.Url}{Environment.NewLine}{node.RecentOutput}");
            }

            throw;
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Node 1 founds the cluster; 2 and 3 join it as their seed; all on the one database.</summary>
    private static async Task StartClusterAsync(TestPostgres postgres, List<NodeProcess> nodes, List<HttpClient> clients)
    {
        var store = postgres.StoreSettings.ToArray();
        nodes.Add(await NodeProcess.StartAsync(store));
        clients.Add(Client(nodes[0].Url));
        await LoopbackNode.AwaitReadyAsync(nodes[0].Url, Ready);
        var seed = await AkkaAddressAsync(clients[0]);
        for (var i = 1; i < 3; i++)
        {
            nodes.Add(await NodeProcess.StartAsync([.. store, $"--Fanout:Cluster:SeedNodes:0={seed}"]));
            clients.Add(Client(nodes[i].Url));
        }

        foreach (var node in nodes)
        {
            await LoopbackNode.AwaitReadyAsync(node.Url, Ready);
        }

        await Eventually.HoldsAsync(
            async () => (await PrometheusText.ScrapeAsync(clients[0])).Value("fanout_cluster_members", ("status", "up")) == 3,
            Ready,
            "three Up members");
    }

    /// <summary>Publishes <paramref name="count"/> events to every topic (topics in parallel, each in order), retrying until accepted.</summary>
    private static async Task<Dictionary<string, List<AcceptedEvent>>> PublishAsync(
        IReadOnlyList<HttpClient> via, string[] topics, long firstN, int count)
    {
        var answers = await Task.WhenAll(topics.Select(async (topic, t) =>
        {
            var accepted = new List<AcceptedEvent>();
            for (var n = firstN; n < firstN + count; n++)
            {
                accepted.Add(await KeyedPublisher.PublishUntilAcceptedAsync(Rotate(via, t + (int)n), topic, n, AcceptedWithin));
            }

            return (topic, accepted);
        }));
        return answers.ToDictionary(a => a.topic, a => a.accepted);
    }

    /// <summary>The topics whose actor counted its accepted events on this node (the node's topic-tagged counter).</summary>
    private static async Task<List<string>> TopicsHostedOnAsync(HttpClient node, string[] topics)
    {
        var metrics = await PrometheusText.ScrapeAsync(node);
        return topics.Where(t => metrics.Value("fanout_events_published_total", ("topic", t)) > 0).ToList();
    }

    /// <summary>The node's Akka address, as its <c>fanout.connected</c> frame names it.</summary>
    private static async Task<string> AkkaAddressAsync(HttpClient node)
    {
        await using var stream = await SseStream.OpenAsync(node, "/topics/address-probe/events");
        var connected = await stream.NextAsync(PerFrame);
        using var data = JsonDocument.Parse(connected.Data);
        return data.RootElement.GetProperty("node").GetString()!;
    }

    private static IReadOnlyList<HttpClient> Rotate(IReadOnlyList<HttpClient> clients, int by) =>
        [.. clients.Skip(by % clients.Count), .. clients.Take(by % clients.Count)];

    private static HttpClient Client(Uri url) => new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
}
