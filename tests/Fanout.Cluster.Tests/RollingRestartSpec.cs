using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using Xunit.Abstractions;

namespace Fanout.Cluster.Tests;

/// <summary>
/// A documented rolling restart (docs/operations.md) loses, doubles, reorders and resets
/// nothing for resuming clients, on every cluster store: the memory store hands a moving
/// topic's state to its next node, PostgreSQL recovers it from the journal.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RollingRestartSpec
{
    private const int Topics = 6;
    private const int EventsPerStep = 5;

    private readonly ITestOutputHelper _output;

    public RollingRestartSpec(ITestOutputHelper output) => _output = output;

    [SkippableTheory]
    [InlineData("memory")]
    [InlineData("postgresql")]
    public async Task Restarting_every_node_in_turn_loses_no_accepted_event_for_a_resuming_client(string store)
    {
        await using var postgres = store == "postgresql" ? await TestPostgres.CreateOrSkipAsync("rolling_restart") : null;
        string[] settings = postgres is null ? ["--Fanout:Store:Kind=memory"] : [.. postgres.StoreSettings];
        var nodes = await StartClusterAsync(settings);
        var topics = Enumerable.Range(0, Topics).Select(i => $"rolling-{i}-{Guid.NewGuid():N}").ToArray();
        var published = 0L;
        var moved = 0;

        // Each topic has one client, spread over the nodes, so every restart drains some.
        var clients = new Client[Topics];
        try
        {
            for (var i = 0; i < Topics; i++)
            {
                clients[i] = new Client(topics[i], nodes[i % nodes.Count], await SseStream.OpenAsync(nodes[i % nodes.Count].Http, $"/topics/{topics[i]}/events"));
                Assert.Equal("fanout.connected", (await clients[i].Stream.NextAsync()).EventType);
            }

            for (var round = 0; round < nodes.Count; round++)
            {
                var victim = nodes[round];
                var survivor = nodes.First(n => n != victim);
                published = await PublishStepAsync(survivor, topics, published);
                moved += (await Task.WhenAll(topics.Select(victim.HostsTopicAsync))).Count(hosted => hosted);

                var stopping = victim.StopAsync();

                // The victim's clients drain: read up to the shutdown frame, then resume elsewhere.
                await Task.WhenAll(clients.Where(c => c.Node == victim).Select(c => c.ResumeOnAsync(survivor)));
                await stopping;
                await victim.DisposeAsync();
                nodes[round] = await TestNode.StartAsync(survivor, settings);
                published = await PublishStepAsync(nodes[round], topics, published);
            }

            _output.WriteLine($"{store}: {published} events per topic, {moved} topic moves over {nodes.Count} restarts");
            Assert.True(moved > 0, "some topics lived on a node when it stopped, so they moved");
            foreach (var client in clients)
            {
                await client.ReadUpToAsync(published);
                Assert.Equal(Enumerable.Range(1, (int)published).Select(n => (long)n), client.Received);
            }

            if (postgres is not null)
            {
                // The moves went through the journal: each accepted event is one row, none twice.
                Assert.Equal(Topics * published, await postgres.CountJournalRowsAsync());
            }
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client.Stream.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Three nodes on <paramref name="settings"/>' store: the first founds the cluster, the others join it.</summary>
    private static async Task<List<TestNode>> StartClusterAsync(string[] settings)
    {
        var first = await TestNode.StartAsync(null, settings);
        var nodes = new List<TestNode> { first, await TestNode.StartAsync(first, settings), await TestNode.StartAsync(first, settings) };
        await Eventually.HoldsAsync(
            () => Task.FromResult(Akka.Cluster.Cluster.Get(first.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 3),
            TimeSpan.FromSeconds(30),
            "three Up members");
        return nodes;
    }

    /// <summary>Publishes the next <see cref="EventsPerStep"/> numbers to every topic; event n is the topic's nth.</summary>
    private static async Task<long> PublishStepAsync(TestNode via, string[] topics, long published)
    {
        for (var i = 0; i < EventsPerStep; i++)
        {
            published++;
            await Task.WhenAll(topics.Select(topic => PublishOnceAsync(via.Http, topic, published)));
        }

        return published;
    }

    /// <summary>Publishes with an idempotency key and retries while a topic moves: at most once, at least once.</summary>
    private static async Task PublishOnceAsync(HttpClient http, string topic, long n)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var response = await http.PostAsync(
                $"/topics/{topic}/events",
                JsonContent.Create(new { data = n, key = $"event-{n}" }));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"publish {n} to {topic} not accepted: {(int)response.StatusCode}");
        }

        throw new InvalidOperationException($"publish {n} to {topic} not accepted after 30 attempts");
    }

    /// <summary>One auto-resuming client of one topic: what it read, in order, and the node it reads from.</summary>
    private sealed class Client(string topic, TestNode node, SseStream stream)
    {
        public TestNode Node { get; private set; } = node;

        public SseStream Stream { get; private set; } = stream;

        public List<long> Received { get; } = [];

        /// <summary>Reads to this node's <c>fanout.shutdown</c>, then reconnects to <paramref name="next"/> with the last id.</summary>
        public async Task ResumeOnAsync(TestNode next)
        {
            var (_, before) = await Stream.NextOfTypeAsync("fanout.shutdown");
            Take(before);
            var cursor = Stream.LastEventId;
            await Stream.DisposeAsync();
            Node = next;
            Stream = await SseStream.OpenAsync(next.Http, $"/topics/{topic}/events", cursor);
            Assert.Contains("\"resumed\":true", (await Stream.NextAsync()).Data);
        }

        public async Task ReadUpToAsync(long count)
        {
            while (Received.Count < count)
            {
                Take([await Stream.NextAsync(TimeSpan.FromSeconds(30))]);
            }
        }

        /// <summary>Only events count; a <c>fanout.reset</c> or <c>fanout.lagged</c> fails the test.</summary>
        private void Take(IEnumerable<SseItem<string>> items)
        {
            foreach (var item in items)
            {
                Assert.True(item.EventType == "message", $"{topic}: expected an event, got {item.EventType}: {item.Data}");
                Received.Add(SseStream.DataNumber(item));
            }
        }
    }
}
