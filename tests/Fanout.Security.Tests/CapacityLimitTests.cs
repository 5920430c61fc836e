using System.Net;
using Fanout.Testing;

namespace Fanout.Security.Tests;

/// <summary>A node with a tiny publish rate and subscriber cap, of its own: the limits are per node.</summary>
public sealed class CapacityLimitTests : IClassFixture<CapacityLimitTests.TightNode>
{
    private const int PublishPermits = 3;
    private const int MaxSubscribers = 2;
    private const int SubscriberRetryAfterSeconds = 7;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestNode _node;

    public CapacityLimitTests(TightNode fixture) => _node = fixture.Node;

    [Fact]
    public async Task Publishing_faster_than_the_rate_is_429_with_retry_after_per_token_subject()
    {
        var topic = $"rate/{Guid.NewGuid():N}";
        var eager = TestTokens.Grant(publish: ["rate/*"], subject: "eager-" + Guid.NewGuid());
        for (var i = 0; i < PublishPermits; i++)
        {
            using var accepted = await _node.PublishAsync(topic, eager);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await _node.PublishAsync(topic, eager);
        var title = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many publish requests", title, StringComparison.Ordinal);
        Assert.InRange(ProblemAssert.RetryAfterSeconds(refused), 1, 60);

        using var batch = _node.Request(HttpMethod.Post, $"/topics/{topic}/events:batch", eager, """[{"data":1}]""");
        using var refusedBatch = await _node.Http.SendAsync(batch);
        await ProblemAssert.IsProblemAsync(refusedBatch, HttpStatusCode.TooManyRequests);

        var other = TestTokens.Grant(publish: ["rate/*"], subject: "other-" + Guid.NewGuid());
        using var otherSubject = await _node.PublishAsync(topic, other);
        Assert.Equal(HttpStatusCode.Accepted, otherSubject.StatusCode);

        var reader = TestTokens.Grant(subscribe: ["rate/*"], subject: "reader-" + Guid.NewGuid());
        Assert.Equal(PublishPermits + 1, await _node.LastSeqAsync(topic, reader));
    }

    [Fact]
    public async Task A_token_with_the_unlimited_grant_is_not_throttled_and_one_without_it_still_is()
    {
        var topic = $"rate/{Guid.NewGuid():N}";
        var backend = TestTokens.Grant(publish: ["rate/*"], subject: "backend-" + Guid.NewGuid(), unlimited: true);
        for (var i = 0; i < PublishPermits * 3; i++)
        {
            using var accepted = await _node.PublishAsync(topic, backend);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        // The same subject without the grant is counted (its address, loopback, exempts nothing).
        var plain = TestTokens.Grant(publish: ["rate/*"], subject: "plain-" + Guid.NewGuid());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= PublishPermits; i++)
        {
            using var response = await _node.PublishAsync(topic, plain);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Subscribers_beyond_the_node_cap_get_503_with_retry_after_until_one_leaves()
    {
        var token = TestTokens.Grant(subscribe: ["cap/*"]);
        var open = new List<SseClient>();
        try
        {
            for (var i = 0; i < MaxSubscribers; i++)
            {
                var stream = await SseClient.OpenAsync(_node.Http, _node.Request(HttpMethod.Get, $"/topics/cap/{i}/events", token));
                open.Add(stream);
                Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
            }

            using (var refused = await _node.Http.SendAsync(_node.Request(HttpMethod.Get, "/events?topic=cap/x", token)))
            {
                await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
                Assert.Equal(SubscriberRetryAfterSeconds, ProblemAssert.RetryAfterSeconds(refused));
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);

            await Eventually.HoldsAsync(
                async () =>
                {
                    var response = await _node.Http.SendAsync(
                        _node.Request(HttpMethod.Get, "/topics/cap/again/events", token), HttpCompletionOption.ResponseHeadersRead);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        response.Dispose();
                        return false;
                    }

                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    response.Dispose();
                    return true;
                },
                Patience,
                "a slot is freed when a subscriber disconnects");
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public sealed class TightNode : IAsyncLifetime
    {
        private TestNode? _node;

        public TestNode Node => _node ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync() => _node = await TestNode.StartAsync(
            $"Fanout:Auth:SigningKey={TestTokens.Key}",
            $"Fanout:Limits:PublishPermitLimit={PublishPermits}",
            "Fanout:Limits:PublishWindowSeconds=60",
            $"Fanout:Limits:MaxSubscribersPerNode={MaxSubscribers}",
            $"Fanout:Limits:SubscriberRetryAfterSeconds={SubscriberRetryAfterSeconds}");

        public async Task DisposeAsync()
        {
            if (_node is not null)
            {
                await _node.DisposeAsync();
            }
        }
    }
}
